<?cs # "You have been signed out" (after /logout).
       Reads: Page.Message (optional, a sentence from the server). ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.SignedOut.Title ?><?cs /if ?><?cs
set:Page.Name = "signed-out" ?><?cs
def:content() ?>
<div class="status status-ok" aria-hidden="true"><svg viewBox="0 0 24 24" width="32" height="32" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg></div>
<h1><?cs var:Lang.SignedOut.Heading ?></h1>
<?cs if:Page.Message ?><p class="message"><?cs var:Page.Message ?></p>
<?cs /if ?><p class="hint"><?cs var:Lang.SignedOut.Hint ?></p>
<?cs /def ?><?cs
include:"layout.cs" ?>
