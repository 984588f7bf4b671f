<?cs # The frame of every page. A page template includes macros.cs, may set Page.Title
       and Page.Name, defines content() and then includes this file.
       Every var: is HTML-escaped (Config.VarEscapeMode = html): keep it that way.
       Nothing here may load from another site: no web fonts, CDNs, analytics or
       external scripts (the pages are served with a strict Content-Security-Policy). ?><!DOCTYPE html>
<html lang="<?cs var:Page.Lang ?>"<?cs if:Lang.Dir == "rtl" ?> dir="rtl"<?cs /if ?>>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="color-scheme" content="light dark">
<title><?cs if:Page.Title ?><?cs var:Page.Title ?> · <?cs /if ?><?cs var:Lang.SiteName ?></title>
<link rel="stylesheet" href="<?cs var:Page.Static ?>/gatehouse.css">
</head>
<body<?cs if:Page.Name ?> class="page-<?cs var:Page.Name ?>"<?cs /if ?>>
<header class="site-header"><span class="site-name"><?cs var:Lang.SiteName ?></span></header>
<main class="card">
<?cs call:content() ?>
</main>
<?cs if:Lang.Footer ?><footer class="site-footer"><?cs var:Lang.Footer ?></footer>
<?cs /if ?></body>
</html>
