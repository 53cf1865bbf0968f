"""Exercise-file text the tests share: Mazur's network and sample (DESIGN.md §6) as TOML, without a
[training] table (each test adds its own conventions)."""

MAZUR_NETWORK_TOML = """[network]
layers = [2, 2, 2]
weights = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
biases = [0.35, 0.60]
[data]
inputs = [[0.05, 0.10]]
targets = [[0.01, 0.99]]
"""
