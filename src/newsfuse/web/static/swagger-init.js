// Swagger UI over the local OpenAPI document (assets served by this server: no CDN).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
});
