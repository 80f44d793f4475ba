/* Start GraphiQL against this server's /graphql; a bearer token typed in the headers pane is sent. */
(function () {
  "use strict";
  var http = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
  var fetcher = function (params, options) {
    if (params.operationName === "IntrospectionQuery") {
      return fetch("/graphiql/introspection.json").then(function (r) { return r.json(); });
    }
    return http(params, options);
  };
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: "# Sign in with the login mutation, then send the token as a header:\n# {\"Authorization\": \"Bearer <token>\"}\n{\n  cycles { name status dueAt }\n}\n",
    defaultEditorToolsVisibility: true,
    headerEditorEnabled: true,
    shouldPersistHeaders: false
  }));
})();
