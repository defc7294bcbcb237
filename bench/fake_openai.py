#!/usr/bin/env python3
"""A stand-in OpenAI-compatible chat-completions server for benchmarks: answers every request after a
fixed delay with valid feedback JSON for exactly the skills it was sent. Standard library only.
Usage: fake_openai.py PORT [DELAY_SECONDS=0.2]"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle and delayed ACKs add ~40 ms per answer.
    disable_nagle_algorithm = True
    delay = 0.2

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        request = json.loads(body)
        user = [m for m in request["messages"] if m["role"] == "user"][-1]["content"]
        evidence = json.loads(user)
        content = json.dumps({
            "summary": "The student shows emerging strengths. Small, regular practice will help most.",
            "strengths": ["Takes part in group work."],
            "skills": [{"skill": s["skill"], "feedback": f"The student is building {s['name']}.",
                        "next_step": f"Plan one short activity to practise {s['name']} with a partner."}
                       for s in evidence["skills"]],
        })
        time.sleep(self.delay)
        answer = json.dumps({
            "id": "chatcmpl-bench", "object": "chat.completion", "created": int(time.time()), "model": request["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(body) // 4, "completion_tokens": len(content) // 4, "total_tokens": (len(body) + len(content)) // 4},
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    Handler.delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
