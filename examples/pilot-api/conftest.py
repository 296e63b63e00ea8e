# Present so pytest puts the project root on sys.path (makes `import gateway`
# work with both `pytest tests` and `python3 -m pytest tests`).
