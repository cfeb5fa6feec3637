"""Renderers turn finished results into text. They format; they never compute (style.md practice 9).

One module per artifact: `stats` (Statistics), `report` (validation Report), `drift` (DriftReport),
`html` (the self-contained HTML report). `common` holds the small formatting helpers they share.
"""
