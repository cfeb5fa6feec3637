"""Renderers turn finished results into text. They format; they never compute.

One module per artifact: `stats` (Statistics), `report` (validation Report), `drift` (DriftReport),
`schema` (Schema), `html` (the self-contained HTML report). `common` holds the small formatting helpers they
share. `registry` lists every (result kind, format) pair and how to write it; the CLI writes every result
through it.
"""
