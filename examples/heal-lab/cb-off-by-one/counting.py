def count_up(n):
    """1, 2, …, n."""
    return list(range(1, n))
