// Starts Swagger UI on /docs. It lives in a file, not in the page, so the page's Content-Security-Policy
// can allow scripts from this origin only ('self') and no inline script at all. The page passes the
// settings FastAPI would have written into its inline script (the OpenAPI URL and Swagger UI's
// parameters) as JSON in the data-config attribute of the element Swagger UI draws into.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  const config = JSON.parse(root.dataset.config);
  window.ui = SwaggerUIBundle(Object.assign(config, {
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  }));
})();
