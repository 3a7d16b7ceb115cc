"""Demo data for `make run` (placeholder until seed-demo is written)."""


def demo_seed() -> str:
    return "no demo data yet"
