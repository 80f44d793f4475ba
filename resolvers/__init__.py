"""Use cases: each module checks the caller's scope, runs the domain rules in a transaction
and records what happened. Nothing here knows about strawberry."""
