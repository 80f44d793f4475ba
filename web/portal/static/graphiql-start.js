/* Start GraphiQL against this server's /graphql; a bearer token typed in the headers pane is sent. */
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    headerEditorEnabled: true,
    shouldPersistHeaders: false
  }));
})();
