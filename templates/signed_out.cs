<?cs # "You have been signed out" (after /logout), or, with Page.Cancelled, "you are
       still signed in" (the person declined). Reads: Page.Message (optional). ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.SignedOut.Title ?><?cs /if ?><?cs
set:Page.Name = "signed-out" ?><?cs
def:content() ?>
<?cs if:Page.Cancelled ?><h1><?cs var:Lang.Logout.Cancelled ?></h1>
<?cs else ?><div class="status status-ok" aria-hidden="true"><svg viewBox="0 0 24 24" width="32" height="32" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg></div>
<h1><?cs var:Lang.SignedOut.Heading ?></h1>
<?cs if:Page.Message ?><p class="message"><?cs var:Page.Message ?></p>
<?cs /if ?><p class="hint"><?cs var:Lang.SignedOut.Hint ?></p>
<?cs /if ?>
<?cs /def ?><?cs
include:"layout.cs" ?>
