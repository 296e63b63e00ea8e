// Package mix holds a tiny function for the go runner.
package mix

// Max returns the larger of a and b.
func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}
