"""`python -m datacheck`."""

from datacheck.cli import run

if __name__ == "__main__":
    run()
