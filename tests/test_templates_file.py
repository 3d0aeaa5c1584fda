"""The owner's outreach templates file (TEMPLATES_FILE) and rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from bot.texts import templates_file
from bot.texts.outreach import PLACEHOLDERS
from bot.texts.templates_file import TemplateError

GOOD_TOML = """\
[birthday]
id = "Met ultah, kak {name}! 🎂 Dari {shop}"

[holiday]
en = "Happy {holiday}, {name}!"
"""
GOOD_YAML = """\
anniversary:
  id: "Udah {years} tahun bareng {shop}, kak {name}!"
incentive:
  en: "Use {incentive} at checkout"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_templates_cover_every_kind_in_both_languages() -> None:
    templates = templates_file.builtin()
    for kind, allowed in PLACEHOLDERS.items():
        for lang in ("id", "en"):
            assert templates_file.fields_of(templates.template(kind, lang)) <= allowed
    assert "kak" in templates.template("birthday", "id")


def test_good_toml_overrides_only_what_it_names(tmp_path: Path) -> None:
    templates = templates_file.load(write(tmp_path, "t.toml", GOOD_TOML))
    assert (
        templates.render("birthday", "id", name="Ani", shop="Toko")
        == "Met ultah, kak Ani! 🎂 Dari Toko"
    )
    builtin = templates_file.builtin()
    assert templates.template("birthday", "en") == builtin.template("birthday", "en")
    assert (
        templates.render("holiday", "en", name="Jo", shop="S", holiday="Nyepi")
        == "Happy Nyepi, Jo!"
    )


def test_good_yaml(tmp_path: Path) -> None:
    templates = templates_file.load(write(tmp_path, "t.yaml", GOOD_YAML))
    text = templates.render("anniversary", "id", name="Ani", shop="Toko", years=2)
    assert text == "Udah 2 tahun bareng Toko, kak Ani!"
    assert (
        templates.render("incentive", "en", name="", shop="", incentive="X1")
        == "Use X1 at checkout"
    )


def test_render_without_a_name_reads_well() -> None:
    text = templates_file.builtin().render("birthday", "id", name="", shop="Toko")
    assert text.startswith("Selamat ulang tahun, kak! 🎂")


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("t.toml", '[birthdy]\nid = "x"\n', "unknown kind 'birthdy'"),
        ("t.toml", '[birthday]\nfr = "x"\n', "birthday: unknown language 'fr'"),
        ("t.toml", '[birthday]\nid = "Hai {nama}"\n', "birthday.id: unknown placeholder {nama}"),
        ("t.toml", '[birthday]\nid = "Hai {years}"\n', "unknown placeholder {years}"),
        ("t.toml", '[birthday]\nid = "Hai {name"\n', "birthday.id: bad braces"),
        ("t.toml", '[birthday]\nid = ""\n', "birthday.id: expected a non-empty text"),
        ("t.toml", 'birthday = "x"\n', "birthday: expected languages id and/or en"),
        ("t.toml", "[birthday\n", "not valid TOML"),
        ("t.yaml", "- a\n- b\n", "expected a table of kinds"),
        ("t.yaml", "birthday: [\n", "not valid YAML"),
        ("t.yml", "holiday:\n  en: 'Hi {name.upper}'\n", "unknown placeholder {name.upper}"),
    ],
)
def test_bad_file_names_the_problem(tmp_path: Path, name: str, text: str, problem: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(TemplateError, match=None) as caught:
        templates_file.load(path)
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)
    with pytest.raises(SettingsError) as setting:
        load_settings(_env_file=None, templates_file=str(path))
    assert str(setting.value).startswith("invalid setting TEMPLATES_FILE: ")
    assert problem in str(setting.value)


def test_settings_load_the_templates(tmp_path: Path) -> None:
    path = write(tmp_path, "t.toml", GOOD_TOML)
    settings = load_settings(_env_file=None, templates_file=str(path))
    assert settings.templates.template("birthday", "id").startswith("Met ultah")


def test_unknown_greeting_holiday_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(
        SettingsError, match=r"GREETING_HOLIDAYS: unknown holiday 'lebaran' \(valid: none, new_year"
    ):
        load_settings(_env_file=None, greeting_holidays="new_year, lebaran")


def test_akrab_run_stops_with_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "t.yaml", "rating:\n  id: 'Nilai kami dong, {nama}'\n")
    monkeypatch.setenv("TEMPLATES_FILE", str(path))
    assert main(["run"]) == 2
    error = capsys.readouterr().err
    assert error == (
        "akrab: invalid setting TEMPLATES_FILE: t.yaml: rating.id: unknown placeholder {nama}"
        " (allowed: {name}, {shop})\n"
    )
