<?cs # An error shown to a person: never a redirect (RFC 6749 4.1.2.1).
       Reads: Page.Error (optional, an OAuth error code), Page.Message (a description). ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.Error.Title ?><?cs /if ?><?cs
set:Page.Name = "error" ?><?cs
def:content() ?>
<div class="status status-error" aria-hidden="true"><svg viewBox="0 0 24 24" width="32" height="32" focusable="false"><path d="M12 5.5v8.5M12 18.5v.2" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg></div>
<h1><?cs var:Lang.Error.Title ?></h1>
<?cs if:Page.Message ?><p class="message"><?cs var:Page.Message ?></p>
<?cs /if ?><?cs if:Page.Error ?><p class="code"><?cs var:Lang.Error.Code ?> <code><?cs var:Page.Error ?></code></p>
<?cs /if ?><p class="hint"><?cs var:Lang.Error.Hint ?></p>
<?cs /def ?><?cs
include:"layout.cs" ?>
