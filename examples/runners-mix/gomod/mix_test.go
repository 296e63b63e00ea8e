package mix

import "testing"

func TestMax(t *testing.T) {
	cases := map[string][3]int{"first": {2, 1, 2}, "second": {1, 2, 2}, "equal": {3, 3, 3}}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Max(c[0], c[1]); got != c[2] {
				t.Errorf("Max(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
			}
		})
	}
}
