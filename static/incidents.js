// Search all tables (/-/search, datasette-search-all) shows every column of the matching rows, so an
// article's whole text would fill the page: shorten long cells to their first 300 characters (the full
// text stays in the cell's tooltip and on the row's page). Text is only ever set as text, never HTML.
const LIMIT = 300;

function shortenCells(root) {
  for (const td of root.querySelectorAll("td")) {
    if (td.dataset.shortened || td.children.length || td.textContent.length <= LIMIT) continue;
    const text = td.textContent;
    td.title = text;
    td.textContent = text.slice(0, LIMIT).trimEnd() + "…";
    td.dataset.shortened = "1";
  }
}

const results = document.getElementById("search-all-results");
if (results) {
  shortenCells(results);
  new MutationObserver(() => shortenCells(results)).observe(results, { childList: true, subtree: true });
}
