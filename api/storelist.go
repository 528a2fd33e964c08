package api

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// storeList caches the public list of stores as JSON: shoppers' phones ask
// for it often and it changes rarely. It is dropped when the place index's
// generation moves on, which it does at every store change made through any
// replica (they hear of it by LISTEN), and after storeListTTL, since each
// store's open_now follows the clock and its opening hours.
type storeList struct {
	mu   sync.Mutex
	gen  uint64
	at   time.Time
	body []byte
}

// storeListTTL bounds how late the list may say a store opened or closed.
const storeListTTL = 30 * time.Second

// ListStores lists every store (public: shoppers pick from it). Only admins
// see the stores' H3 cells, read fresh; everyone else gets the cached list.
func (s *Server) ListStores(c echo.Context) error {
	if s.places == nil || isAdmin(c) {
		list, err := s.stores.Stores(c.Request().Context())
		if err != nil {
			return err
		}
		if !isAdmin(c) {
			for i := range list {
				list[i].Cells = nil
			}
		}
		return c.JSON(http.StatusOK, list)
	}
	gen := s.places.Generation()
	s.list.mu.Lock()
	body := s.list.body
	if s.list.gen != gen || time.Since(s.list.at) > storeListTTL {
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
		for i := range list {
			list[i].Cells = nil
		}
		if body, err = json.Marshal(list); err != nil {
			return err
		}
		s.list.mu.Lock()
		s.list.gen, s.list.at, s.list.body = gen, time.Now(), body
		s.list.mu.Unlock()
	}
	return c.JSONBlob(http.StatusOK, body)
}
