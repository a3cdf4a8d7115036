"""``python -m tweetparse``: the command line, for when the console script is not on PATH."""
from .cli import main

if __name__ == "__main__":  # importing the module (a walk of the package) runs nothing
    main(prog_name="tweetparse")
