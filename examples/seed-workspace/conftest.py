# Present so pytest puts this folder on sys.path (makes `import core` work).
