"""The `authscan` subcommands; each module registers its own parser."""
