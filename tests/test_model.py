"""The model's classes: dataclasses whose __init__ is written out (auditor/model.py
says why), held here to their fields and to what @dataclass itself would make."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from auditor import config, model, rulebook
from auditor.model import FRESH, Finding, Image, Level, Post, PostResult, Score, Source, Span

# The model's classes, and the configuration's and rule files' made the same way.
CLASSES = [
    value
    for module in (model, config, rulebook)
    for value in vars(module).values()
    if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__
]


def test_every_class_is_checked():
    assert len(CLASSES) == 18 and Finding in CLASSES and PostResult in CLASSES
    assert {config.Settings, config.RuleOverride, rulebook.Rule, rulebook.RuleDocs} <= set(CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_init_takes_the_fields_in_order_with_their_defaults(cls):
    parameters = list(inspect.signature(cls).parameters.values())
    wanted = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = FRESH
        else:
            default = inspect.Parameter.empty
        wanted.append((f.name, default))
    assert [(p.name, p.default) for p in parameters] == wanted
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)


def reference(cls):
    """The class as plain @dataclass would make it from the same fields."""
    specs = []
    for f in dataclasses.fields(cls):
        kw = {"repr": f.repr, "compare": f.compare}
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kw)))
    return dataclasses.make_dataclass(cls.__name__, specs)


def sample_values(cls, seed: int) -> list:
    values = []
    for number, f in enumerate(dataclasses.fields(cls)):
        values.append([f"v{seed}{number}", seed * 10 + number, None, [seed, number], (seed,)][(seed + number) % 5])
    return values


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_repr_and_equality_are_what_dataclass_makes(cls):
    ref = reference(cls)
    for seed in range(5):
        values = sample_values(cls, seed)
        ours, theirs = cls(*values), ref(*values)
        assert repr(ours) == repr(theirs)
        for other_seed in range(5):
            others = sample_values(cls, other_seed)
            assert (ours == cls(*others)) == (theirs == ref(*others))
            # A change in a field left out of comparisons (an image's seen text) changes nothing.
            for index, f in enumerate(dataclasses.fields(cls)):
                changed = list(values)
                changed[index] = others[index]
                assert (ours == cls(*changed)) == (theirs == ref(*changed)), f.name
        assert ours != object() and (ours == theirs) is False  # another class is never equal
    with pytest.raises(TypeError):
        hash(cls(*sample_values(cls, 1)))


def test_defaults_made_fresh_for_each_instance_and_replace_still_works():
    first, second = Post("a", []), Post("b", [])
    assert first.langs == [] and first.langs is not second.langs and first.source is not second.source
    assert first.source == Source() and Image(1, "x").source is not Image(1, "x").source
    assert Score(5).deductions == [] and Score(5).credits is not Score(5).credits
    finding = Finding("T402", Level.ERROR, "m", span=Span(0, 2))
    changed = dataclasses.replace(finding, message="n")
    assert (changed.code, changed.message, changed.span) == ("T402", "n", Span(0, 2)) and finding.message == "m"
    assert dataclasses.asdict(Span(1, 3)) == {"start": 1, "end": 3}
    assert pickle.loads(pickle.dumps(Post("t", [Image(1, "alt")], langs=["en"]))) == Post("t", [Image(1, "alt")], langs=["en"])
    assert Post("t", [], langs=None).langs is None  # an explicit value is kept, as before
    assert config.Settings().penalties == config.DEFAULT_PENALTIES and config.Settings().penalties is not config.DEFAULT_PENALTIES
    assert config.Settings().with_overrides(fail_on=Level.WARNING, words=None).fail_on is Level.WARNING
