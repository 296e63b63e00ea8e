/// The published JSON Schema (draft 2020-12) of the TestScope contract, version 2.0.
///
/// Kept byte-for-byte equal to `schema/testscope.schema.json` by a test
/// (regenerate with `scripts/regenerate-schema`).
public enum TestScopeSchema {
    /// The schema document, as printed by `taas schema`.
    public static let json: String = ##"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://maestro-taas.dev/schema/testscope-2.0.json",
          "title": "Maestro TaaS TestScope 2.0",
          "description": "A TestScope describes what Maestro TaaS runs: the sandbox environment, lifecycle steps, background services and the test scenarios of one scope.",
          "type": "object",
          "additionalProperties": false,
          "required": [
            "scope_id",
            "scenarios"
          ],
          "properties": {
            "$schema": {
              "type": "string",
              "description": "Optional URI of this JSON Schema, for editors that validate and complete scope files; ignored by taas."
            },
            "scope_id": {
              "description": "Identifier of the scope.",
              "type": "string",
              "minLength": 1,
              "maxLength": 200,
              "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$"
            },
            "description": {
              "description": "Human-readable description of the scope.",
              "type": "string"
            },
            "environment": {
              "description": "The sandbox the steps, services and scenarios run in. Optional; default is a jail.",
              "type": "object",
              "additionalProperties": false,
              "default": {
                "type": "jail"
              },
              "properties": {
                "type": {
                  "description": "Kind of sandbox: docker (a container from image), venv (a cached Python virtualenv), jail or local. Default jail.",
                  "enum": [
                    "docker",
                    "venv",
                    "jail",
                    "local"
                  ],
                  "default": "jail"
                },
                "image": {
                  "description": "The container image for the docker environment (for example python:3.11-slim). Default python:3.11-slim.",
                  "type": "string"
                },
                "dependencies": {
                  "description": "pip requirement specifiers by name (PEP 508: a package name, optional extras, version specifiers and markers), installed from wheels only, in a cached virtualenv (venv) or in the image (docker). Paths, URLs, \"@\" references and pip options are refused: pip runs on the host. Default none.",
                  "type": "array",
                  "items": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 500,
                    "pattern": "^[ \\t]*[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?[ \\t]*(\\[[A-Za-z0-9._, \\t-]*\\])?[^@/\\\\:]*$"
                  }
                },
                "env": {
                  "description": "Environment variables for every step, service and scenario; nothing else of the host's environment is inherited. Default none.",
                  "type": "object",
                  "propertyNames": {
                    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
                  },
                  "additionalProperties": {
                    "type": "string"
                  }
                },
                "limits": {
                  "type": "object",
                  "additionalProperties": false,
                  "description": "Resource limits of the sandbox container (docker). Defaults: 1024 MiB of memory, 256 processes, 2 CPUs; the command line's --memory, --pids and --cpus override them.",
                  "properties": {
                    "memory_mb": {
                      "type": "integer",
                      "minimum": 16,
                      "maximum": 1048576,
                      "description": "Memory in MiB (no swap on top). Default 1024."
                    },
                    "pids": {
                      "type": "integer",
                      "minimum": 8,
                      "maximum": 1000000,
                      "description": "The most processes and threads at once (stops fork bombs). Default 256."
                    },
                    "cpus": {
                      "type": "number",
                      "minimum": 0.01,
                      "maximum": 1024,
                      "description": "CPUs, fractional allowed. Default 2."
                    }
                  }
                }
              }
            },
            "lifecycle": {
              "description": "Steps run before and after the scenarios. Default none.",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "setup": {
                  "description": "Steps run in order before the services start and the scenarios run. Default none.",
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/step"
                  }
                },
                "teardown": {
                  "description": "Steps run in order after the scenarios have run and the services have stopped. Default none.",
                  "type": "array",
                  "items": {
                    "$ref": "#/$defs/step"
                  }
                }
              }
            },
            "services": {
              "description": "Background services started after setup and before the scenarios, and stopped after the scenarios and before teardown. Default none.",
              "type": "array",
              "items": {
                "$ref": "#/$defs/service"
              }
            },
            "integrity": {
              "description": "Which workspace files belong to the law and which never change a verdict. Patterns are globs relative to the workspace: * and ? match within one path component, ** any number of components.",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "locked": {
                  "description": "Files that taas lock records and taas run verifies, in addition to each scenario's target, every conftest.py, the pytest sections of pytest.ini, tox.ini, setup.cfg and pyproject.toml, and plugin modules they name.",
                  "type": "array",
                  "items": {
                    "type": "string",
                    "minLength": 1
                  }
                },
                "ignore": {
                  "description": "Files left out of the workspace digest of the verdict cache (taas run --cache), in addition to those .gitignore ignores.",
                  "type": "array",
                  "items": {
                    "type": "string",
                    "minLength": 1
                  }
                }
              }
            },
            "scenarios": {
              "description": "The test scenarios (at least one); scenario ids must be unique within the scope.",
              "type": "array",
              "minItems": 1,
              "items": {
                "$ref": "#/$defs/scenario"
              }
            }
          },
          "$defs": {
            "step": {
              "description": "A lifecycle step, run with /bin/sh -c in the workspace copy: either a shell command string, or an object with the command and its own timeout.",
              "oneOf": [
                {
                  "description": "A shell command, run with the default timeout of 300 seconds.",
                  "type": "string",
                  "minLength": 1
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "command"
                  ],
                  "properties": {
                    "command": {
                      "description": "The shell command, run with /bin/sh -c in the workspace copy.",
                      "type": "string",
                      "minLength": 1
                    },
                    "timeout_seconds": {
                      "description": "Maximum run time of the step in seconds; a step that runs longer is killed with its whole process tree and fails. Default 300.",
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 86400,
                      "default": 300
                    }
                  }
                }
              ]
            },
            "service": {
              "description": "A background process (for example a server under test) started after setup and before the scenarios, and stopped after the scenarios and before teardown.",
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "command"
              ],
              "properties": {
                "name": {
                  "description": "Name of the service, unique within the scope.",
                  "type": "string",
                  "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"
                },
                "command": {
                  "description": "The shell command that starts the service.",
                  "type": "string",
                  "minLength": 1
                },
                "ready": {
                  "description": "How to tell that the service is ready: exactly one of http, tcp or log, plus an optional timeout. Optional: without it the service counts as ready as soon as it has started.",
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "http": {
                      "description": "An http:// URL on the sandbox's loopback (for example http://127.0.0.1:3000/health); the service is ready once it answers.",
                      "type": "string",
                      "format": "uri"
                    },
                    "tcp": {
                      "description": "A port on 127.0.0.1; the service is ready once it accepts connections.",
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 65535
                    },
                    "log": {
                      "description": "A regular expression matched against the service's output; the service is ready once it matches.",
                      "type": "string"
                    },
                    "timeout_seconds": {
                      "description": "How long to wait for the service to become ready, in seconds. Default 30.",
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 3600,
                      "default": 30
                    }
                  },
                  "oneOf": [
                    {
                      "required": [
                        "http"
                      ]
                    },
                    {
                      "required": [
                        "tcp"
                      ]
                    },
                    {
                      "required": [
                        "log"
                      ]
                    }
                  ]
                }
              }
            },
            "scenario": {
              "description": "A test scenario: a runner execution, a shell command or HTTP checks (exactly one of the three), with optional variables, retry policy and timeout.",
              "type": "object",
              "additionalProperties": false,
              "required": [
                "id"
              ],
              "properties": {
                "id": {
                  "description": "Identifier of the scenario, unique within the scope (for example UNIT-001).",
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 200,
                  "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$"
                },
                "type": {
                  "description": "A free-text label for the kind of test.",
                  "type": "string",
                  "examples": [
                    "unit",
                    "integration",
                    "e2e",
                    "smoke"
                  ]
                },
                "description": {
                  "description": "Human-readable description of the scenario.",
                  "type": "string"
                },
                "execution": {
                  "description": "Run the scenario with a test runner. Mutually exclusive with command and http.",
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "runner",
                    "target"
                  ],
                  "properties": {
                    "runner": {
                      "description": "The test runner: pytest, unittest (Python), swift (swift test), go (go test -json), cargo (cargo test), node (node --test) or junit (any command plus the JUnit XML file it writes).",
                      "enum": [
                        "pytest",
                        "unittest",
                        "swift",
                        "go",
                        "cargo",
                        "node",
                        "junit"
                      ]
                    },
                    "target": {
                      "description": "What the runner runs, relative to cwd: a test file or folder (pytest, unittest, node), a package pattern such as ./... (go), a package or crate folder (swift, cargo), or the JUnit XML file the command writes (junit). It must stay inside the workspace.",
                      "type": "string",
                      "minLength": 1
                    },
                    "args": {
                      "description": "Extra arguments for the runner's tool, appended after taas's own (for junit, appended to the command, each quoted). Default none.",
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "default": []
                    },
                    "cwd": {
                      "description": "The working directory, relative to the workspace; it must stay inside it. Default the workspace.",
                      "type": "string",
                      "minLength": 1
                    },
                    "command": {
                      "description": "The shell command that writes the JUnit XML file named by target. Required by the junit runner, and only accepted there.",
                      "type": "string",
                      "minLength": 1
                    }
                  },
                  "allOf": [
                    {
                      "if": {
                        "properties": {
                          "runner": {
                            "const": "junit"
                          }
                        },
                        "required": [
                          "runner"
                        ]
                      },
                      "then": {
                        "required": [
                          "command"
                        ]
                      },
                      "else": {
                        "not": {
                          "required": [
                            "command"
                          ]
                        }
                      }
                    }
                  ]
                },
                "command": {
                  "description": "Run the scenario as a shell command; exit code 0 means pass. Mutually exclusive with execution and http.",
                  "type": "string",
                  "minLength": 1
                },
                "http": {
                  "description": "HTTP requests made from inside the sandbox, in order, each with expectations; values captured from one answer are used by later requests as {{name}}. Mutually exclusive with execution and command.",
                  "oneOf": [
                    {
                      "$ref": "#/$defs/http_request"
                    },
                    {
                      "type": "array",
                      "minItems": 1,
                      "maxItems": 100,
                      "items": {
                        "$ref": "#/$defs/http_request"
                      }
                    }
                  ]
                },
                "env": {
                  "description": "Environment variables for this scenario only, over environment.env (PATH included: this is how a runner finds a toolchain outside the system folders). Default none.",
                  "type": "object",
                  "propertyNames": {
                    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
                  },
                  "additionalProperties": {
                    "type": "string"
                  },
                  "default": {}
                },
                "retry_policy": {
                  "description": "How often to try the scenario and how long to wait between attempts. Default: a single attempt.",
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "attempts": {
                      "description": "Maximum number of attempts, including the first. Default 1.",
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 100,
                      "default": 1
                    },
                    "backoff": {
                      "description": "Wait after the n-th failed attempt: none waits not at all, fixed waits delay_seconds, linear waits delay_seconds * n, exponential waits delay_seconds * 2^(n-1). Default none.",
                      "enum": [
                        "none",
                        "fixed",
                        "linear",
                        "exponential"
                      ],
                      "default": "none"
                    },
                    "delay_seconds": {
                      "description": "Base delay in seconds for the backoff. Default 1.",
                      "type": "number",
                      "minimum": 0,
                      "maximum": 3600,
                      "default": 1
                    }
                  }
                },
                "timeout_seconds": {
                  "description": "Maximum run time of one attempt in seconds; an attempt that runs longer is killed with its whole process tree and counts as a failed attempt. Default 600.",
                  "type": "number",
                  "exclusiveMinimum": 0,
                  "maximum": 86400,
                  "default": 600
                }
              },
              "oneOf": [
                {
                  "required": [
                    "execution"
                  ]
                },
                {
                  "required": [
                    "command"
                  ]
                },
                {
                  "required": [
                    "http"
                  ]
                }
              ]
            },
            "http_request": {
              "description": "One HTTP request made from inside the sandbox to a service on its loopback, and what its answer must be.",
              "type": "object",
              "additionalProperties": false,
              "required": [
                "url"
              ],
              "properties": {
                "method": {
                  "description": "The HTTP method in capitals. Default GET.",
                  "type": "string",
                  "pattern": "^[A-Z]+$",
                  "default": "GET"
                },
                "url": {
                  "description": "An http:// URL to the sandbox's loopback: localhost, 127.0.0.1 or [::1], with an optional port (default 80); the path may use {{name}} placeholders.",
                  "type": "string",
                  "pattern": "^[Hh][Tt][Tt][Pp]://([Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?([/?#].*)?$"
                },
                "headers": {
                  "description": "Request headers, name to value; Content-Length, Transfer-Encoding and Connection are set by taas.",
                  "type": "object",
                  "additionalProperties": {
                    "type": "string"
                  }
                },
                "body": {
                  "description": "A text body. Mutually exclusive with json.",
                  "type": "string"
                },
                "json": {
                  "description": "A JSON body, sent with Content-Type: application/json. Mutually exclusive with body."
                },
                "expect": {
                  "description": "What the answer must be; every failed expectation is reported. Default: a 2xx status.",
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "status": {
                      "description": "The status (100-599), or a matcher. Default: any 2xx status.",
                      "oneOf": [
                        {
                          "type": "integer",
                          "minimum": 100,
                          "maximum": 599
                        },
                        {
                          "type": "object"
                        }
                      ]
                    },
                    "headers": {
                      "description": "Answer headers by name (case-insensitive) to a value or matcher.",
                      "type": "object",
                      "additionalProperties": {
                        "description": "A value compared for JSON equality, or a matcher: an object whose members are all of equals, exists, contains, matches, gt, gte, lt, lte."
                      }
                    },
                    "json": {
                      "description": "JSONPath ($, .name, ['name'], [index]) to a value or matcher, on the body read as JSON.",
                      "type": "object",
                      "propertyNames": {
                        "pattern": "^\\$"
                      },
                      "additionalProperties": {
                        "description": "A value compared for JSON equality, or a matcher: an object whose members are all of equals, exists, contains, matches, gt, gte, lt, lte."
                      }
                    },
                    "body_contains": {
                      "description": "Text, or texts, the body must contain.",
                      "oneOf": [
                        {
                          "type": "string"
                        },
                        {
                          "type": "array",
                          "items": {
                            "type": "string"
                          }
                        }
                      ]
                    },
                    "max_ms": {
                      "description": "The most milliseconds the exchange may take, measured inside the sandbox.",
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 3600000
                    }
                  }
                },
                "capture": {
                  "description": "Values of this answer for later requests of the scenario: name to JSONPath, used as {{name}}.",
                  "type": "object",
                  "propertyNames": {
                    "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
                  },
                  "additionalProperties": {
                    "type": "string",
                    "pattern": "^\\$"
                  }
                }
              },
              "not": {
                "required": [
                  "body",
                  "json"
                ]
              }
            }
          },
          "examples": [
            {
              "scope_id": "scope-v2",
              "environment": {
                "type": "docker",
                "image": "python:3.11-slim",
                "dependencies": [
                  "pytest",
                  "requests"
                ]
              },
              "lifecycle": {
                "setup": [
                  "python scripts/seed_db.py"
                ],
                "teardown": [
                  "python scripts/clean_db.py"
                ]
              },
              "scenarios": [
                {
                  "id": "UNIT-001",
                  "type": "unit",
                  "execution": {
                    "runner": "pytest",
                    "target": "tests/test_core.py"
                  }
                },
                {
                  "id": "API-001",
                  "type": "integration",
                  "command": "curl -f http://localhost:3000/health",
                  "retry_policy": {
                    "attempts": 3,
                    "backoff": "linear"
                  }
                }
              ]
            }
          ]
        }
        """##
}
