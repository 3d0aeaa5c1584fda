"""The word lists of Indonesian chat sentiment: slang, negators, intensifiers, emoji, phatic.

Data only; `scoring.indonesian_text` turns texts into features with them. Changing a list can
change scores: bump `scoring.sentiment.ANALYZER_VERSION` (and retrain) when you do.
"""

from __future__ import annotations

# Our own table of informal spellings customers type (SLANG: spelling -> standard word), by
# the standard word the SmSA/PRDECT vocabulary mostly uses. Written by hand for this project;
# only unambiguous forms are listed (a wrong mapping costs more than a missing one).
SPELLINGS: dict[str, str] = {
    # negation
    "tidak": (
        "gak ga gk g nggak ngga nggk ngak enggak engga tdk tak kagak kaga ndak gag gx ora tida"
    ),
    "tidak ada": "gaada gada",
    "belum": "blm blum belom",
    "bukan": "bkn",
    "jangan": "jgn jangn",
    "kurang": "krg kurg kurangg",
    # intensifiers
    "banget": "bgt bngt bangt bgtt bet pol poll",
    "sangat": "sngt sgt amat",
    "sekali": "skali sekale",
    "benar": "bener bnr bnr2",
    "terlalu": "trlalu tlalu",
    # opinion words
    "bagus": "bgs bagu",
    "mantap": "mantul mantab mantep mantabs mantaps mntp mntap ajib",
    "joss": "josss jos",
    "keren": "keren kece",
    "cantik": "cakep",
    "cepat": "cpt cepet gercep",
    "lambat": "lemot lelet",
    "lama": "lama",
    "jelek": "jlk jelk",
    "hancur": "ancur",
    "rusak": "rusak",
    "kecewa": "zonk kcewa kecewaa",
    "menyesal": "nyesel nyesal",
    "mengecewakan": "mengecewakan",
    "murah": "murmer mrh",
    "mahal": "mhl",
    "enak": "enk uenak maknyus",
    "recommended": "rekomen rekomended recomended recommend rekom recom recomen",
    "original": "ori",
    "asli": "asli",
    "palsu": "kw abal",
    "menipu": "nipu tipu penipu",
    "marah": "marah2",
    "kesal": "bete kesel sebel sebal",
    "senang": "senang seneng happy",
    "puas": "puasss",
    "terima kasih": "makasih makasi mksh mkasih trims trimakasih terimakasih tq",
    "thanks": "thx thank tenkyu tks tengkyu",
    "ramah": "ramah",
    "judes": "jutek",
    "berantakan": "amburadul",
    # function words and pronouns
    "yang": "yg yng",
    "dengan": "dgn dg dngn",
    "untuk": "utk untk buat",
    "karena": "krn krna karna soalnya",
    "tapi": "tp tpi tetapi namun",
    "tetap": "tetep ttp",
    "juga": "jg jga",
    "sudah": "sdh udh udah dah uda sudh",
    "lagi": "lg lgi",
    "saya": "sy aku gue gw gua ak",
    "kamu": "km kmu lu lo loe elo",
    "dari": "dr dri",
    "dalam": "dlm",
    "sama": "sm ama",
    "bisa": "bs bsa bisaa",
    "saja": "aja aj doang",
    "hanya": "cuma cuman cm",
    "kalau": "klo kalo kl",
    "jadi": "jd jdi",
    "pakai": "pake",
    "dipakai": "dipake",
    "padahal": "pdhl pdahal",
    "bagaimana": "gimana gmn gmna",
    "kenapa": "knp napa",
    "dapat": "dpt dapet",
    "barang": "brg brng",
    "barangnya": "barangny",
    "sampai": "sampe nyampe nyampai smpe",
    "datang": "dateng dtg",
    "terus": "trs trus",
    "banyak": "bnyk byk bnyak",
    "tahu": "tau tw",
    "lihat": "liat",
    "mengerti": "ngerti",
    "begitu": "gitu",
    "begini": "gini",
    "seperti": "kyk kayak kaya kek",
    "sih": "sih",
    "memang": "emang emg mmg",
    "nya": "ny",
    "tanggal": "tgl",
    "orang": "org",
    "pesan": "pesen psn",
    "kirim": "kirimin",
    "ongkos kirim": "ongkir",
    "selalu": "sllu slalu",
    "semoga": "smg moga mudah2an",
    "sebelum": "sblm",
    "setelah": "stlh",
    "sedikit": "sdikit dikit",
    "masih": "msh masi",
    "lebih": "lbh",
    "dan": "n dn &",
    "kak": "kak ka kakak sis bos bang mas mba mbak",
    "gan": "gan",
    "admin": "min mimin",
}
SLANG: dict[str, str] = {
    variant: standard for standard, variants in SPELLINGS.items() for variant in variants.split()
}

# Words that turn the opinion after them around ("tidak bagus", "kurang cepat").
NEGATORS = frozenset({"tidak", "bukan", "belum", "jangan", "kurang", "tanpa", "not", "no"})
# Words that strengthen the opinion next to them ("bagus banget", "sangat kecewa").
INTENSIFIERS: dict[str, float] = {
    "banget": 1.5,
    "sangat": 1.5,
    "sekali": 1.4,
    "benar": 1.3,
    "terlalu": 1.3,
    "amat": 1.5,
    "super": 1.5,
    "paling": 1.4,
    "sungguh": 1.4,
    "parah": 1.3,
    "very": 1.5,
    "so": 1.3,
    "really": 1.4,
    "too": 1.3,
}
# Intensifiers that usually follow their word ("bagus banget"); the rest lead ("sangat bagus").
TRAILING_INTENSIFIERS = frozenset({"banget", "sekali", "parah"})
# Contrast words end a negation scope and, in chat, carry the main opinion after them.
CONTRAST = frozenset({"tapi", "but", "padahal", "sayangnya", "walaupun", "meskipun"})
NEGATION_SCOPE = 3

# Our own emoji and emoticon table: the training data holds none, so these map to
# sentiment tokens whose weights the training script sets by hand (see EMOJI_WEIGHTS there).
POSITIVE_EMOJI = frozenset(
    "😀😃😄😁😆😊☺😍🥰😘😗😙😚😋😎🤩🥳👍👌👏🙌🙏💪❤💕💖💗💘💝💞💓♥🌹🎉✨⭐🌟💯🔥😇🤗🆗✅"
)
NEGATIVE_EMOJI = frozenset("😞😔😟😕🙁☹😣😖😫😩😢😭😤😠😡🤬👎💔😒🙄😑😐🤮🤢😱😨😰😓❌🚫💩😿")
POSITIVE_EMOTICONS = frozenset(
    {":)", ":-)", ":d", ":-d", "=)", ":]", ";)", ";-)", "<3", "xd", ":p", ":-p", "^^", "^_^"}
)
NEGATIVE_EMOTICONS = frozenset(
    {":(", ":-(", ":'(", "=(", ":[", ":/", ":-/", ">:(", "-_-", "t_t", "</3", ":|"}
)
EMO_POS = "<emo+>"
EMO_NEG = "<emo->"


def _split(words: str) -> list[str]:
    return words.split()


# Messages made only of these carry no opinion ("ok", "siap kak", "halo min"), however the
# training reviews used the words.
PHATIC = frozenset(
    _split(
        """ok oke okay okey okeh k sip siap siapp baik iya ya yaa yah y yup yes no tidak nggak
        halo hallo hai hi hello helo hey pagi siang sore malam selamat kak gan admin bro sob
        min mas mbak pak bu ibu bapak om tante nya saya kamu noted done start help menu stop
        test tes p ping assalamualaikum waalaikumsalam salam permisi"""
    )
)
