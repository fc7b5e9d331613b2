"""The test parser must reject what a scraper would, or the exposition tests prove nothing."""

from __future__ import annotations

import pytest

from tests.proxy.telemetry.prom_text import parse

GOOD = '# HELP x_total X.\n# TYPE x_total counter\nx_total{a="q\\"\\\\\\n",b=""} 3\n'


def test_parses_escaped_labels() -> None:
    (sample,) = parse(GOOD).samples
    assert sample.labels == {"a": 'q"\\\n', "b": ""}
    assert sample.value == 3


@pytest.mark.parametrize(
    "page",
    [
        '# TYPE x_total counter\nx_total{a="q"q"} 3\n',  # unescaped quote
        '# TYPE x_total counter\nx_total{a="\\t"} 3\n',  # unknown escape
        '# TYPE x_total counter\nx_total{a="1",a="2"} 3\n',  # duplicate label
        "# TYPE x_total counter\nx_total{a=1} 3\n",  # unquoted value
        'y_total{a="1"} 3\n',  # no TYPE
        "# TYPE x counter\n# TYPE y counter\nx 1\n",  # sample outside its family's block
        "# TYPE x counter\nx 1",  # no final newline
    ],
)
def test_rejects_malformed_pages(page: str) -> None:
    with pytest.raises(ValueError):
        parse(page)
