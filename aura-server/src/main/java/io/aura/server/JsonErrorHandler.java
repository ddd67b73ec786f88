package io.aura.server;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals, which happen before a request reaches the API (a path that is not valid
 * UTF-8, a header block or URI too long, a bad Content-Length, an unknown HTTP version), answered
 * with the API's JSON error {@code {error, message, field}} instead of Jetty's HTML page. A request
 * this early has no route, so {@code field} is null. An unknown HTTP version is a client's error:
 * it is answered 400, not Jetty's 505.
 */
final class JsonErrorHandler extends ErrorHandler {

    static byte[] body(int status, String message) {
        return Json.write(Json.error(name(status), message == null || message.isBlank() ? "the request was refused (HTTP " + status + ")"
                : "the request was refused before it reached the API: " + clip(message), null)).getBytes(StandardCharsets.UTF_8);
    }

    static int clientStatus(int status) {
        return status == 505 ? 400 : status;
    }

    /** The API's error code for an HTTP status (Jetty's refusals and Javalin's alike). */
    static String name(int status) {
        return switch (status) {
            case 400, 505 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "server_error" : "client_error";
        };
    }

    private static String clip(String s) {
        return Json.clip(s, 120);
    }

    /** Every method gets the JSON error (Jetty's default writes a body for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
            List<Charset> charsets, int code, String message, Throwable cause) {
        int status = clientStatus(code);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        return true;
    }
}
