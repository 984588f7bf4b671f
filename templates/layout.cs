<?cs # The frame of every page. Pages define content() and include this file.
       Every var: is HTML-escaped (Config.VarEscapeMode = html): keep it that way. ?><!DOCTYPE html>
<html lang="<?cs var:Page.Lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title><?cs var:Page.Title ?> · <?cs var:Lang.SiteName ?></title>
<link rel="stylesheet" href="<?cs var:Page.Static ?>/gatehouse.css">
</head>
<body>
<header class="site"><span class="brand"><?cs var:Lang.SiteName ?></span></header>
<main class="card">
<?cs call:content() ?>
</main>
</body>
</html>
