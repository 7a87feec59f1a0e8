package pscsim

import (
	"html/template"
	"sync"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

const layout = pagelang.SwitcherTemplate + `<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Stylesheet}}">
</head><body class="sim sim-psc">
<div class="env" data-testid="psc-sandbox-env">{{.Env}}</div>
<header class="masthead"><div class="bar">
<h1 class="brand"><span class="mark" aria-hidden="true">PSC</span><span class="brand-name">Pro Santé Connect</span> <span class="brand-tag" data-testid="sandbox-brand">{{.Brand}}</span></h1>
{{template "languages" .}}
</div></header>
<main{{if .App}} class="app" data-testid="ecps-app-frame"{{end}}><div class="card">{{template "body" .}}</div></main></body></html>`

var cardPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("card").Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.Intro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
<form method="post" data-testid="psc-form">
<input type="hidden" name="pending" value="{{.Pending}}">
<fieldset class="methods" data-testid="psc-methods"><legend>{{.MethodLegend}}</legend>
{{if .MethodError}}<p id="method-error" class="err field-err" role="alert" data-testid="psc-error">{{.MethodError}}</p>{{end}}
<div class="choice">{{range .Methods}}<label class="method"><input type="radio" name="method" value="{{.Value}}"{{if .Checked}} checked{{end}} data-testid="psc-method-{{.Value}}"{{if $.MethodError}} aria-invalid="true" aria-describedby="method-error"{{end}}>
<span class="pict pict-{{.Value}}" aria-hidden="true"></span><strong>{{.Name}}</strong><small>{{.Detail}}</small></label>
{{end}}</div></fieldset>
<fieldset><legend>{{.Choose}}</legend>
{{if .ChooseError}}<p id="choose-error" class="err field-err" role="alert" data-testid="psc-error">{{.ChooseError}}</p>{{end}}
{{range .Options}}<label class="opt"><input type="radio" name="professional" value="{{.IDNat}}"{{if .Checked}} checked{{end}} data-testid="psc-card-{{.IDNat}}"{{if $.ChooseError}} aria-invalid="true" aria-describedby="choose-error"{{end}}> <span class="opt-text"><strong>{{.Name}}</strong> <small>{{.Label}} — idNat {{.IDNat}}</small>{{if .Note}}<small>{{.Note}}</small>{{end}}</span></label>
{{end}}</fieldset>
<label for="code"><strong>{{.Code}}</strong></label>
<input id="code" name="code" type="password" inputmode="numeric" autocomplete="off" data-testid="psc-code"{{if .CodeError}} aria-invalid="true" aria-describedby="code-error"{{end}}>
{{if .CodeError}}<p id="code-error" class="err field-err" role="alert" data-testid="psc-error">{{.CodeError}}</p>{{end}}
<div class="row"><button class="primary" type="submit" name="action" value="sign-in" data-testid="psc-submit">{{.Submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="psc-cancel">{{.Cancel}}</button></div>
</form>{{end}}`))
})

var messagePage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("message").Parse(layout)).Parse(`{{define "body"}}
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{end}}`))
})

var sessionsPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("sessions").Funcs(template.FuncMap{"sessionArgs": sessionArgs}).Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.SessionsIntro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{if .Sessions}}<p class="hint" data-testid="psc-sessions-order">{{.SessionsOrder}} {{.TimeZone}}</p>
<ul class="sessions" data-testid="psc-sessions">
{{range .Sessions}}<li class="session" data-testid="psc-session-{{.IDNat}}">
<p class="who"><strong data-testid="psc-session-name">{{.Name}}</strong> <small>idNat {{.IDNat}}</small>{{if .Newest}} <span class="badge" data-testid="psc-session-newest">{{$.SessionNewest}}</span>{{end}}</p>
{{template "session" (sessionArgs . $)}}
{{if .Older}}<details class="older" data-testid="psc-session-older"><summary>{{.OlderLabel}}</summary>
<ul class="sessions">{{range .Older}}<li class="session" data-testid="psc-older-session">{{template "session" (sessionArgs . $)}}</li>
{{end}}</ul></details>{{end}}
</li>
{{end}}</ul>{{else}}<p data-testid="psc-sessions-none">{{.SessionsNone}}</p>{{end}}
{{end}}
{{define "session"}}<dl>
<div><dt>{{.Page.ColClient}}</dt><dd data-testid="psc-session-client">{{.Row.Client}}</dd></div>
<div><dt>{{.Page.ColStarted}}</dt><dd><time datetime="{{.Row.StartedISO}}" data-testid="psc-session-started">{{.Row.Started}}</time></dd></div>
<div><dt>{{.Page.ColExpires}}</dt><dd><time datetime="{{.Row.ExpiresISO}}" data-testid="psc-session-expires">{{.Row.Expires}}</time></dd></div>
</dl>
<form method="post"><input type="hidden" name="sid" value="{{.Row.SID}}"><button class="secondary" type="submit" data-testid="psc-session-logout">{{.Page.SessionLogout}}</button></form>{{end}}`))
})

// sessionArgs hands the session sub-template its row and the page.
func sessionArgs(row sessionRow, page pageData) struct {
	Row  sessionRow
	Page pageData
} {
	return struct {
		Row  sessionRow
		Page pageData
	}{row, page}
}

var ecpsAppPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("ecps").Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.ECPS.Intro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="ecps-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="ecps-message">{{.Message}}</p>{{end}}
<form method="get" data-testid="ecps-choose"><input type="hidden" name="ui_locales" value="{{.Lang}}">
<label for="idnat"><strong>{{.ECPS.Identity}}</strong></label>
<select id="idnat" name="idnat" data-testid="ecps-identity">{{range .ECPS.Identities}}<option value="{{.IDNat}}"{{if .Checked}} selected{{end}}>{{.Name}} — idNat {{.IDNat}}</option>{{end}}</select>
<div class="row"><button class="secondary" type="submit" data-testid="ecps-show">{{.ECPS.Show}}</button></div>
</form>
{{if .ECPS.IDNat}}{{if .ECPS.Requests}}<ul class="sessions" data-testid="ecps-requests">
{{range .ECPS.Requests}}<li class="session" data-testid="ecps-request">
<p class="who">{{$.ECPS.Binding}} <strong class="binding" data-testid="ecps-binding">{{.Binding}}</strong></p>
<dl>
<div><dt>{{$.ECPS.Client}}</dt><dd data-testid="ecps-client">{{.Client}}</dd></div>
<div><dt>{{$.ECPS.Channel}}</dt><dd data-testid="ecps-channel">{{.Channel}}</dd></div>
<div><dt>{{$.ECPS.Expires}}</dt><dd data-testid="ecps-expires">{{.Expires}}</dd></div>
</dl>
<form method="post" class="row"><input type="hidden" name="idnat" value="{{$.ECPS.IDNat}}"><input type="hidden" name="req" value="{{.ID}}">
<button class="primary" type="submit" name="action" value="approve" data-testid="ecps-approve">{{$.ECPS.Approve}}</button>
<button class="secondary" type="submit" name="action" value="refuse" data-testid="ecps-refuse">{{$.ECPS.Refuse}}</button></form>
</li>
{{end}}</ul>{{else}}<p data-testid="ecps-none">{{.ECPS.None}}</p>{{end}}
<p><a href="?idnat={{.ECPS.IDNat}}&amp;ui_locales={{.Lang}}" data-testid="ecps-refresh">{{.ECPS.Refresh}}</a></p>{{end}}
{{end}}`))
})
