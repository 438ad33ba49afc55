// The dashboard lives on the chat page: debug.html sends its visitor there, keeping the query (a file, not an
// inline script, so the page's Content-Security-Policy can forbid inline scripts).
location.replace('/' + location.search + '#dashboard');
