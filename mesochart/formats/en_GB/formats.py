"""British English as Django writes it, on the 24-hour clock: a clinical record's times read
"14:30" in both of mesochart's languages (Django's en-GB says "2:30 p.m."). Every other
format is Django's own (``FORMAT_MODULE_PATH`` falls back to it)."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
