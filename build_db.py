#!/usr/bin/env python3
"""Build incidents.db from news articles: `python build_db.py [INPUT ...] [--db incidents.db]`."""

from dedupe.cli import main

if __name__ == "__main__":
    main()
