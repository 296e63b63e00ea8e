import unittest

from calc import add


class AddTests(unittest.TestCase):
    def test_small_numbers(self):
        self.assertEqual(add(2, 3), 5)

    def test_negative_numbers(self):
        for a, b, total in [(-1, 1, 0), (-2, -3, -5)]:
            with self.subTest(a=a, b=b):
                self.assertEqual(add(a, b), total)
