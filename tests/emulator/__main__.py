"""``python -m tests.emulator --port 9000``: same as ``python -m tests.emulator.server``."""

from tests.emulator.server import main

raise SystemExit(main())
