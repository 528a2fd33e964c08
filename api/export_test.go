package api

// HoldPlaces takes n of the server's admission places, as n requests being
// worked on would, so that a test can saturate the server at will; release
// gives them back.
func (s *Server) HoldPlaces(n int) (release func()) {
	for range n {
		s.admission.places <- struct{}{}
	}
	return func() {
		for range n {
			<-s.admission.places
		}
	}
}
