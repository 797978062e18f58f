"""Small, valid instrument definition dicts for tests; override any part with keyword arguments."""

from __future__ import annotations

from typing import Any

LANGUAGES = ["en", "ru"]


def text(english: str) -> dict[str, str]:
    return {"en": english, "ru": f"{english} (ru)"}


def options(*values: int, missing: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    return [
        {"value": value, "label": text(f"option {value}"), **({"missing": True} if value in missing else {})}
        for value in values
    ]


def choice(item_id: str, values: tuple[int, ...] = (0, 1, 2, 3), **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": "choice", "text": text(f"Question {item_id}"), "options": options(*values), **extra}


def item(item_id: str, item_type: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": item_type, "text": text(f"Question {item_id}"), **extra}


def scale(scale_id: str, item_ids: list[str], score_range: list[float], **extra: Any) -> dict[str, Any]:
    return {
        "id": scale_id,
        "label": text(f"Scale {scale_id}"),
        "items": item_ids,
        "method": "sum",
        "range": score_range,
        **extra,
    }


def band(code: str, band_max: float | None = None) -> dict[str, Any]:
    return {"code": code, "label": text(code), **({"max": band_max} if band_max is not None else {})}


def flag(flag_id: str, level: str, when: dict[str, Any]) -> dict[str, Any]:
    return {"id": flag_id, "level": level, "when": when, "reason": text(f"reason {flag_id}")}


def definition(items: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": "demo",
        "version": "1.0",
        "respondent_kind": "child",
        "title": text("Demo questionnaire"),
        "languages": list(LANGUAGES),
        "source": "Test fixture",
        "licence": "Free for any use",
        "translation_status": {"en": "original", "ru": "draft"},
        "items": items if items is not None else [choice("q1")],
        **extra,
    }


def named_options(*names: str, filters: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Options whose values are XLSForm choice names, with optional filter columns by name."""
    filters = filters or {}
    return [
        {"value": name, "label": text(name.title()), **({"filter": filters[name]} if name in filters else {})}
        for name in names
    ]


def calculate(item_id: str, calculation: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": "calculate", "calculation": calculation, **extra}
