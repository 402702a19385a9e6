"""Normalisation of people's names for the exact roster look-up (T0) and prefix search."""

from __future__ import annotations

import unicodedata


def normalise_name_part(value: str | None) -> str:
    """Case-fold, fold ё to е, collapse inner spaces and trim."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).casefold().replace("ё", "е")
    return " ".join(text.split())


def name_key(last_name: str, first_name: str, middle_name: str | None) -> str:
    return "|".join(normalise_name_part(part) for part in (last_name, first_name, middle_name))
