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

// HoldArrivals takes n places as n arrivals being worked on would: n of
// the arrivals' share and n of all places.
func (s *Server) HoldArrivals(n int) (release func()) {
	for range n {
		s.admission.arrivals <- struct{}{}
		s.admission.places <- struct{}{}
	}
	return func() {
		for range n {
			<-s.admission.places
			<-s.admission.arrivals
		}
	}
}
