"""`datacheck.output.to_json`: the JSON every command writes, checked against the standard library's encoder."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from datacheck.output import to_json

DOCUMENTS = [
    {},
    [],
    {"empty_object": {}, "empty_list": [], "nested_empty": [[]]},
    {"text": "é \n \" \\ \u2028 \x00 \t", "unicode_key_é": 1, "ints": [0, -1, 10**30], "bools": [True, False, None]},
    {"floats": [1.5e300, -0.0, 5e-324, 1e16, 0.1, 2.5]},
    {1: "int key", 2.5: "float key", None: "null key", False: "false key"},
    {"table": [{"value": "a", "count": 3}, {"value": "b", "count": 1}], "meta": {"error": 0, "total": 4}},
    [{"deep": [{"deeper": [1, {"x": [2, 3]}]}]}],
    ({"tuple": (1, 2)}, ["mixed", {"a": 1}, [1]]),
    "a bare string",
    None,
    3.25,
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_document_as_the_standard_encoder(document):
    text = to_json(document)
    assert text.endswith("\n")
    # The standard library is the reference: both texts must decode to the same value.
    assert json.loads(text) == json.loads(json.dumps(document, ensure_ascii=False))


def test_layout_scalar_containers_on_one_line_the_rest_indented_by_two():
    text = to_json({"table": [{"value": "a", "count": 3}, {"value": "b", "count": 1}], "meta": {"n": 4},
                    "lists": [[1, 2], []], "name": "x"})
    assert text == (
        '{\n'
        '  "table": [\n'
        '    {"value": "a", "count": 3},\n'
        '    {"value": "b", "count": 1}\n'
        '  ],\n'
        '  "meta": {"n": 4},\n'
        '  "lists": [\n'
        '    [1, 2],\n'
        '    []\n'
        '  ],\n'
        '  "name": "x"\n'
        '}\n'
    )


def test_non_ascii_is_written_as_it_is():
    assert to_json({"city": "Zürich"}) == '{"city": "Zürich"}\n'


@pytest.mark.parametrize("bad", [math.nan, {"a": [math.inf]}, {"a": {"b": -math.inf}}, {math.nan: 1}])
def test_nan_and_infinity_are_refused(bad):
    with pytest.raises(ValueError):
        json.dumps(bad, allow_nan=False)  # the reference refuses them too
    with pytest.raises(ValueError):
        to_json(bad)


def test_unknown_types_are_refused_like_json_dumps():
    with pytest.raises(TypeError):
        to_json({"a": {1, 2}})
    with pytest.raises(TypeError):
        to_json({(1, 2): "tuple key"})


def test_float_subclasses_are_written_as_floats():
    # numpy's float64 subclasses float, and json.dumps writes it as a number; so must we.
    assert json.loads(to_json({"x": np.float64(1.5)})) == {"x": 1.5}


def test_every_member_on_its_own_line_when_asked():
    # Schemas are written this way, for diffs in version control: the standard library's own layout.
    document = {"domain": {"values": ["CA", "NY"]}, "min": 1.5}
    assert to_json(document, one_line_scalars=False) == json.dumps(document, indent=2) + "\n"


def test_a_container_of_more_than_four_scalars_gets_a_line_per_member():
    text = to_json({"five": {f"k{i}": i for i in range(5)}, "four": [1, 2, 3, 4], "long": ["x" * 500]})
    # A member count, not a width, decides: a long value stays on its one line.
    assert '  "four": [1, 2, 3, 4],\n' in text
    assert '  "long": ["' + "x" * 500 + '"]\n' in text
    assert '    "k4": 4\n' in text
    assert json.loads(text) == {"five": {f"k{i}": i for i in range(5)}, "four": [1, 2, 3, 4], "long": ["x" * 500]}
