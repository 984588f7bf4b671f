<?cs # An error shown to a person: never a redirect (RFC 6749 4.1.2.1).
       Page.Error is an OAuth error code, Page.Message a description. ?><?cs
def:content() ?>
<h1><?cs var:Lang.Error.Title ?></h1>
<p class="message"><?cs var:Page.Message ?></p>
<?cs if:Page.Error ?><p class="code"><?cs var:Lang.Error.Code ?> <code><?cs var:Page.Error ?></code></p><?cs /if ?>
<p class="hint"><?cs var:Lang.Error.Hint ?></p>
<?cs /def ?><?cs
include:"layout.cs" ?>
