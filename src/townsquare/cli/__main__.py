"""`python -m townsquare.cli …` runs the `townsquare` command."""

from townsquare.cli import main

main()
