"""The notebooks coeval runs: kept here at the top of the repository, and shipped inside the
installed package as ``coeval.notebooks`` (see pyproject.toml), where coeval finds them."""
