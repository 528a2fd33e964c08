package pg

import "testing"

func TestConnsFollowTheCores(t *testing.T) {
	for cores, want := range map[int]int{1: 4, 2: 6, 4: 12, 8: 24, 64: 24} {
		if got := connsFor(cores); got != want {
			t.Errorf("%d cores: %d connections, want %d", cores, got, want)
		}
	}
}
