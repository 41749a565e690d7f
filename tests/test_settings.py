"""The rules' settings (``settings.py``): named numbers a conversion can be given, copied with
changes, listed, and sent to batch workers."""

import dataclasses
import pickle
from pathlib import Path

import pytest

import reflow
from reflow.model import ConvertOptions, Document, Line, Page
from reflow.pipeline import run_stages
from reflow.settings import DEFAULT, BlockSettings, Settings

SUITE = Path(__file__).resolve().parent.parent / "corpora" / "layout"
LINES = [
    "The committee met on Tuesday to review the plan for the new bridge over the",
    "river, and after a long debate it agreed that the work should start soon.",
]


def _converted(settings: Settings) -> list[str]:
    """Lines 7 pt apart (10 pt type), too few for a usual line spacing to count: a conversion
    of them with ``settings``."""
    doc = Document(source="t.pdf", kind="pdf")
    doc.options = ConvertOptions(article=False, settings=settings)
    page = Page(1, 600.0, 800.0)
    page.lines = [
        Line(t, 1, bbox=(50.0, 100.0 + 17 * i, 550.0, 110.0 + 17 * i), size=10.0)
        for i, t in enumerate(LINES)
    ]
    doc.pages = [page]
    return [b.text for b in run_stages(doc).blocks]


def test_with_values_changes_a_conversion_a_user_would_notice():
    # 7 pt between the lines: more than the default paragraph gap (0.55 em), so two blocks;
    # with a larger gap allowed, one paragraph
    assert DEFAULT.blocks.paragraph_gap_em * 10 < 7 < 0.8 * 10
    assert _converted(DEFAULT) == LINES
    merged = _converted(DEFAULT.with_values({"blocks.paragraph_gap_em": 0.8}))
    assert merged == [" ".join(LINES)]


def test_convert_passes_its_settings_to_the_rules(monkeypatch):
    monkeypatch.setenv("REFLOW_NO_TAGS", "1")  # the structure tree would name the paragraphs
    pdf = SUITE / "brief-1col-short.pdf"
    default = reflow.convert(pdf, article=False)
    gaps = {"blocks.paragraph_gap_em": 3.0, "blocks.paragraph_gap_over_em": 3.0}
    loose = reflow.convert(pdf, article=False, settings=Settings().with_values(gaps))
    assert len(loose.blocks) < len(default.blocks)
    assert sorted(loose.text.split()) == sorted(default.text.split())  # merged, not lost
    assert default.options.settings is DEFAULT
    assert loose.options.settings.blocks.paragraph_gap_em == 3.0


def test_with_values_is_a_copy_and_unknown_names_are_a_key_error():
    changed = DEFAULT.with_values({"blocks.paragraph_gap_em": 0.8, "roles.callout_max_words": 5})
    assert changed.blocks.paragraph_gap_em == 0.8 and changed.roles.callout_max_words == 5
    assert DEFAULT.blocks.paragraph_gap_em == BlockSettings().paragraph_gap_em  # untouched
    assert changed.furniture is DEFAULT.furniture  # stages not named are shared
    for bad in ("blocks.no_such_setting", "nostage.paragraph_gap_em", "paragraph_gap_em"):
        with pytest.raises(KeyError):
            DEFAULT.with_values({bad: 1})
    with pytest.raises(AttributeError):  # settings are frozen: a change is a copy
        DEFAULT.blocks.paragraph_gap_em = 1.0  # type: ignore[misc]


def test_to_dict_and_from_dict_round_trip():
    d = DEFAULT.to_dict()
    assert set(d) == {
        "reader",
        "furniture",
        "blocks",
        "heal",
        "roles",
        "header",
        "article",
        "ocr",
        "figures",
        "graphics",
        "output",
    }
    assert d["blocks"]["paragraph_gap_em"] == DEFAULT.blocks.paragraph_gap_em
    assert Settings.from_dict(d) == DEFAULT
    changed = DEFAULT.with_values({"heal.capital_min_words": 3, "article.body_min_words": 9})
    assert Settings.from_dict(changed.to_dict()) == changed != DEFAULT
    with pytest.raises(KeyError):
        Settings.from_dict({"blocks": {"no_such_setting": 1}})


def test_settings_are_picklable_for_batch_workers():
    changed = DEFAULT.with_values({"blocks.paragraph_gap_em": 0.8})
    back = pickle.loads(pickle.dumps(changed))
    assert back == changed and back.blocks.paragraph_gap_em == 0.8
    assert _converted(back) == _converted(changed)
    opts = pickle.loads(pickle.dumps(ConvertOptions(settings=changed)))
    assert opts.settings == changed


def test_a_stage_group_is_made_compared_and_shown_as_a_dataclass_would_be():
    # the groups' __init__/__repr__/__eq__/__hash__ are written once (settings_group.Group), not
    # generated per class: keyword or positional values in field order, unknown names refused
    names = [f.name for f in dataclasses.fields(BlockSettings)]
    first = BlockSettings(0.5)
    assert first == BlockSettings(**{names[0]: 0.5}) != BlockSettings()
    assert hash(first) == hash(BlockSettings(**{names[0]: 0.5}))
    assert repr(first).startswith(f"BlockSettings({names[0]}=0.5, {names[1]}=")
    assert dataclasses.replace(first, **{names[0]: 0.9}) == BlockSettings(0.9)
    assert pickle.loads(pickle.dumps(first)) == first
    with pytest.raises(TypeError):
        BlockSettings(no_such_setting=1)
    with pytest.raises(TypeError):
        BlockSettings(0.5, **{names[0]: 0.5})
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.paragraph_gap_em = 1.0  # type: ignore[misc]
