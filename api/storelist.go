package api

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// storeList caches the public list of stores as JSON: shoppers' phones ask
// for it often and it changes rarely. It is current while the place index's
// generation stays, and the index moves on at every store change made
// through any replica (they hear of it by LISTEN).
type storeList struct {
	mu   sync.Mutex
	gen  uint64
	body []byte
}

// ListStores lists every store (public: shoppers pick from it).
func (s *Server) ListStores(c echo.Context) error {
	if s.places == nil {
		list, err := s.stores.Stores(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, list)
	}
	gen := s.places.Generation()
	s.list.mu.Lock()
	body := s.list.body
	if s.list.gen != gen {
		body = nil
	}
	s.list.mu.Unlock()
	if body == nil {
		// Read after taking the generation: a change in between moves the
		// generation on, so the next request reads again.
		list, err := s.stores.Stores(c.Request().Context())
		if err != nil {
			return err
		}
		if body, err = json.Marshal(list); err != nil {
			return err
		}
		s.list.mu.Lock()
		s.list.gen, s.list.body = gen, body
		s.list.mu.Unlock()
	}
	return c.JSONBlob(http.StatusOK, body)
}
