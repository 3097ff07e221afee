# Serbian newspaper date formats ("27.11.2026. 23:03"), overriding Django's sr_Latn where they differ.
DATE_FORMAT = "j. F Y."
DATETIME_FORMAT = "j. F Y. \\u H:i"
SHORT_DATE_FORMAT = "d.m.Y."
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
