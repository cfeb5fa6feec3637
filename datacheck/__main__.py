"""`python -m datacheck`."""

from datacheck.cli import main

if __name__ == "__main__":
    main()
