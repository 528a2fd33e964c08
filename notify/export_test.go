package notify

// DialControl exposes the sender's dialer check to the tests.
func DialControl(a AllowList, network, address string) error {
	return a.dialControl(network, address, nil)
}
