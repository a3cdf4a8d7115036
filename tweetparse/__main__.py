"""``python -m tweetparse``: the command line, for when the console script is not on PATH."""
from .cli import main

main(prog_name="tweetparse")
