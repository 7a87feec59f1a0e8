package insi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Searcher runs one search by traits; *Client is one. FindByTraits
// takes any, so that the strategy is tested without a server.
type Searcher interface {
	SearchTraits(ctx context.Context, t Traits, who *Professional) (*Result, error)
}

// SearchTraits calls rechercherInsAvecTraitsIdentite once, with t as
// given, after checking t against the lexical rules (a *LexicalError, and
// no call, when it breaks them). who is required in psc mode and fills
// the Emetteur when given.
func (c *Client) SearchTraits(ctx context.Context, t Traits, who *Professional) (*Result, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return c.call(ctx, ActionTraits, traitsBody(t), who)
}

// SearchCard calls rechercherInsAvecCarteVitale with the card's data.
func (c *Client) SearchCard(ctx context.Context, card Card, who *Professional) (*Result, error) {
	if err := card.Validate(); err != nil {
		return nil, err
	}
	return c.call(ctx, ActionCard, cardBody(card), who)
}

// requestBytes renders the envelope of one call and returns its
// wsa:MessageID; it neither checks nor sends anything.
func (c *Client) requestBytes(action string, body []byte, who *Professional) ([]byte, string) {
	at := c.cfg.Now()
	e := &envelope{
		action: action, messageID: "uuid:" + c.cfg.NewID(), bamID: c.cfg.NewID(), lpsID: c.cfg.NewID(), at: at,
		idam: c.cfg.IDAM, version: c.cfg.SoftwareVersion, instance: c.cfg.InstanceID,
		name: "urn:lps:" + c.cfg.SoftwareName + ":" + c.cfg.SoftwareVersion, body: body,
	}
	e.emitter = c.cfg.SoftwareName
	if who != nil && who.IDNat != "" {
		e.emitter = who.IDNat
	}
	if c.cfg.Auth == AuthPSC {
		e.assertion = pscAssertion(who, c.cfg.NewID(), c.cfg.SoftwareName, at)
	}
	return e.bytes(), e.messageID
}

func (c *Client) call(ctx context.Context, action string, body []byte, who *Professional) (*Result, error) {
	if c.cfg.Auth == AuthPSC && (who == nil || who.IDNat == "") {
		return nil, fmt.Errorf("%w: psc mode needs the signed-in professional", ErrConfig)
	}
	env, msgID := c.requestBytes(action, body, who)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(env))
	if err != nil {
		return nil, fmt.Errorf("%w: building the request", ErrUnavailable)
	}
	// SOAP 1.2 carries the action in the media type (GUESS for INSi's
	// exact header value: known clients use their SOAP stack's default).
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+action+`"`)
	req.Header.Set("Accept", "application/soap+xml, text/xml")
	if c.cfg.Auth == AuthPSC {
		if err := c.cfg.Tokens.Present(ctx, req, who.AccessToken); err != nil {
			return nil, err
		}
	}
	if c.loopback && c.cn != "" {
		req.Header.Set(SandboxCNHeader, c.cn)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusInternalServerError:
		// SOAP 1.2 faults come with 500; anything else at 500 is not INSi.
	default:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, fmt.Errorf("%w: HTTP %d", ErrUnavailable, resp.StatusCode)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, transportError(err)
	}
	if int64(len(raw)) > c.cfg.MaxResponseBytes {
		return nil, fmt.Errorf("%w: answer larger than %d bytes", ErrMalformed, c.cfg.MaxResponseBytes)
	}
	res, err := Decode(bytes.NewReader(raw))
	if err != nil {
		var f *Fault
		if !errors.As(err, &f) && resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%w: HTTP %d without a SOAP fault", ErrUnavailable, resp.StatusCode)
		}
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: a result with HTTP %d", ErrMalformed, resp.StatusCode)
	}
	res.MessageID = msgID
	return res, nil
}

// transportError maps a transport failure to ErrUnavailable (ErrRedirect
// kept visible), without the URL.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, ErrRedirect) {
		return fmt.Errorf("%w: %w", ErrUnavailable, ErrRedirect)
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
