#!/usr/bin/env python3
"""A loopback proxy in front of moto_server for scalec's integration tests.

moto 5.2 drops some of a group's settings: DefaultInstanceWarmup,
InstanceMaintenancePolicy, AvailabilityZoneDistribution and
CapacityReservationSpecification always, and CapacityRebalance,
TerminationPolicies and DefaultCooldown on UpdateAutoScalingGroup. The
proxy remembers them from CreateAutoScalingGroup/UpdateAutoScalingGroup and
puts them into DescribeAutoScalingGroups answers, as AWS would. moto also
enables no metric for EnableMetricsCollection without a list, where AWS
enables every one: the proxy answers with every one.

moto 5.2 keeps only part of a lifecycle hook (it answers with a made-up
target and role, and drops the metadata) and ignores the hooks of
CreateAutoScalingGroup's LifecycleHookSpecificationList. The proxy answers
PutLifecycleHook, DescribeLifecycleHooks and DeleteLifecycleHook itself, as
AWS documents them: a heartbeat timeout defaults to 3600 s, the global
timeout is 100 heartbeats but at most 172800 s, the default result is
ABANDON, a new hook with a target needs a role, a group takes 50 hooks, and
the hooks of a created group come from its specification list.

moto 5.2 says every instance runs its launch template's default version,
whatever version the group names. The proxy remembers the version a group
named when it first saw each instance (the one AWS would have launched
it with) and answers with that, until a refresh completes and replaces
the group's instances.

moto 5.2 has no instance refresh. The proxy answers StartInstanceRefresh,
DescribeInstanceRefreshes and CancelInstanceRefresh: a group has one active
refresh at a time (a second start is InstanceRefreshInProgress), a refresh
keeps the strategy and preferences it was started with, and, since moto
runs no instances to replace, it completes at once (Successful) unless the
group was started with `--hold-refreshes`, when it stays InProgress until
cancelled.

moto 5.2 doesn't implement the Auto Scaling notification APIs
(PutNotificationConfiguration, DescribeNotificationConfigurations,
DeleteNotificationConfiguration). This proxy answers those itself, the way
AWS does (awsQuery XML; a missing group is a ValidationError), and forwards
everything else to moto unchanged.

With --fault-every N it also injects faults into every Nth request, in turn:
a Throttling error before forwarding, a 503 before forwarding, and a 503
after forwarding (the request took effect but the response was lost).

With --respond ACTION=KIND (repeatable) it answers every request for that
API action itself, without forwarding: `throttle` (400 Throttling),
`denied` (403 AccessDenied), `invalid` (400 ValidationError), `html` (a 502
HTML page, as a proxy would send), `empty` (a 503 with no body), `expired`
(403 ExpiredToken, credentials that ran out), `quota` (400 LimitExceeded,
an account quota reached), `unavailable` (503 ServiceUnavailable, every
time, so the SDK's retries run out), `notfound` (404 NotFound, SNS's answer
about a topic that is gone) or `linked_role` (400 ServiceLinkedRoleFailure,
an AWS code scalec has no kind for).

GET /__scalec_respond?ACTION=KIND sets such an answer while the proxy
runs, and ?ACTION= clears it.

With --lose ACTION (repeatable) the first request for that action takes
effect and its answer is lost (a 503), as --fault-every's third fault, but
on a request the test chooses.

Every awsQuery request is recorded as it arrived, before any fault:
GET /__scalec_requests returns them, each with its service, action and
parameters structured by botocore's model of the operation's input (lists,
numbers and booleans as the model types them), and the problems botocore's
validator finds in them. Tests assert what scalec sent from these, not from
what this proxy or moto answer back.

moto 5.2 answers GetMetricData in one page whatever MaxDatapoints says
and never sends NextToken. The proxy pages its answer as AWS does: at
most MaxDatapoints datapoints a page (or --page-datapoints N, to page a
small history), the results' points in order, and a NextToken while more
remain.

moto 5.2 returns no scaling activities. PUT /__scalec_activities with a
JSON object {group: [{"start": EPOCH, "end": EPOCH, "status": "Successful",
"description": "Launching a new EC2 instance: i-..."}]} gives a group
its history, and the proxy answers DescribeScalingActivities for it as
AWS does: newest first, MaxRecords (at most 100) a page, NextToken.

GET /__scalec_faults returns the number of requests seen, faults injected,
requests per action and the most requests in flight at once;
GET /__scalec_reset_stats starts the last two afresh.

    python3 aws_proxy.py --port 5001 --upstream 5000 [--fault-every 4] [--respond DescribeAutoScalingGroups=html] [--hold-refreshes] [--lose StartInstanceRefresh]

It listens on 127.0.0.1 only and stops on SIGTERM.
"""
import argparse
import datetime
import http.client
import http.server
import json
import threading
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/"
NOTIFICATIONS = {}  # group -> {topic_arn: [types]}
# Group members moto drops (always, or on update): group -> {member: xml}.
GROUP_FIELDS = ("DefaultInstanceWarmup", "InstanceMaintenancePolicy", "AvailabilityZoneDistribution",
                "CapacityReservationSpecification", "CapacityRebalance", "TerminationPolicies",
                "DefaultCooldown")
KEPT = {}
HOOKS = {}  # group -> {hook name: {member: value}}
INSTANCE_LT = {}  # group -> {instance id: {LaunchTemplateId/Name/Version: value}}
REFRESHES = {}  # group -> [refresh records, oldest first]
HOLD_REFRESHES = [False]
HOOK_MEMBERS = ("LifecycleHookName", "AutoScalingGroupName", "LifecycleTransition",
                "NotificationTargetARN", "RoleARN", "NotificationMetadata", "HeartbeatTimeout",
                "GlobalTimeout", "DefaultResult")
LOCK = threading.Lock()
FAULTS = {"every": 0, "count": 0, "kind": 0, "injected": 0}
RESPOND = {}  # action -> kind, from --respond
LOSE = {}  # action -> whether its first answer was lost yet, from --lose
REQUESTS = []  # (service, action, form) of every awsQuery request, in order
MODELS = {}  # service -> botocore service model, loaded when first needed
STATS = {"actions": {}, "in_flight": 0, "max_in_flight": 0}
PAGE = {"datapoints": 0}
ACTIVITIES = {}  # group -> [activity dicts], from PUT /__scalec_activities  # --page-datapoints: pages of at most this many


def xml_response(action, result=""):
    rid = uuid.uuid4()
    inner = f"<{action}Result>{result}</{action}Result>" if result else ""
    return (f'<{action}Response xmlns="{NS}">{inner}'
            f"<ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata></{action}Response>")


def xml_error(code, message):
    return (f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
            f"<Message>{message}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


def members(form, prefix):
    out = []
    i = 1
    while f"{prefix}.member.{i}" in form:
        out.append(form[f"{prefix}.member.{i}"])
        i += 1
    return out


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def complete_hook(group, name, hook):
    """A hook with AWS's defaults filled in."""
    timeout = int(hook.get("HeartbeatTimeout") or 3600)
    out = dict(hook)
    out.update({
        "LifecycleHookName": name,
        "AutoScalingGroupName": group,
        "HeartbeatTimeout": str(timeout),
        "GlobalTimeout": str(min(172800, 100 * timeout)),
        "DefaultResult": hook.get("DefaultResult") or "ABANDON",
    })
    return out


def keep_hooks_of_new_group(form):
    group = form.get("AutoScalingGroupName", "")
    tree = form_tree(form, "LifecycleHookSpecificationList")
    if not tree or "__list__" not in tree:
        return
    with LOCK:
        hooks = HOOKS.setdefault(group, {})
        for spec in tree["__list__"].values():
            hooks[spec.get("LifecycleHookName", "")] = complete_hook(group, spec.get("LifecycleHookName", ""), spec)


def form_tree(form, prefix):
    """The awsQuery members under `prefix` as a tree: dicts for structures,
    lists for `.member.N` lists, strings for scalars. None if absent."""
    tree = None
    for key, value in form.items():
        if key != prefix and not key.startswith(prefix + "."):
            continue
        path = key[len(prefix) + 1:].split(".") if key != prefix else []
        if not path:
            return value
        if tree is None:
            tree = {}
        node = tree
        i = 0
        while i < len(path):
            part = path[i]
            if part == "member" and i + 1 < len(path):
                idx = int(path[i + 1])
                last = i + 2 == len(path)
                node.setdefault("__list__", {})
                if last:
                    node["__list__"][idx] = value
                else:
                    node = node["__list__"].setdefault(idx, {})
                i += 2
                continue
            if i + 1 == len(path):
                node[part] = value
            else:
                node = node.setdefault(part, {})
            i += 1
    return tree


def tree_xml(tag, tree):
    if isinstance(tree, str):
        return f"<{tag}>{escape(tree)}</{tag}>"
    if "__list__" in tree:
        items = [tree["__list__"][k] for k in sorted(tree["__list__"])]
        return f"<{tag}>" + "".join(tree_xml("member", x) for x in items) + f"</{tag}>"
    return f"<{tag}>" + "".join(tree_xml(k, v) for k, v in tree.items()) + f"</{tag}>"


def keep_group_fields(form):
    group = form.get("AutoScalingGroupName", "")
    with LOCK:
        kept = KEPT.setdefault(group, {})
        for field in GROUP_FIELDS:
            tree = form_tree(form, field)
            if tree is not None:
                kept[field] = tree_xml(field, tree)


# What AWS enables for EnableMetricsCollection without a list: every metric,
# the warm pool's included. moto enables none.
ALL_METRICS = ("GroupMinSize GroupMaxSize GroupDesiredCapacity GroupInServiceInstances "
               "GroupPendingInstances GroupStandbyInstances GroupTerminatingInstances "
               "GroupTotalInstances GroupInServiceCapacity GroupPendingCapacity "
               "GroupStandbyCapacity GroupTerminatingCapacity GroupTotalCapacity "
               "WarmPoolDesiredCapacity WarmPoolWarmedCapacity WarmPoolPendingCapacity "
               "WarmPoolTerminatingCapacity WarmPoolTotalCapacity "
               "GroupAndWarmPoolDesiredCapacity GroupAndWarmPoolTotalCapacity").split()


def keep_all_metrics(form):
    """EnableMetricsCollection with no metrics enables all of them on AWS:
    remembered, and answered as AWS lists them; any other call about
    metrics leaves them to moto."""
    group = form.get("AutoScalingGroupName", "")
    every = form.get("Action") == "EnableMetricsCollection" and "Metrics.member.1" not in form
    with LOCK:
        kept = KEPT.setdefault(group, {})
        if every:
            items = "".join(f"<member><Metric>{m}</Metric><Granularity>1Minute</Granularity></member>"
                            for m in ALL_METRICS)
            kept["EnabledMetrics"] = f"<EnabledMetrics>{items}</EnabledMetrics>"
        else:
            kept.pop("EnabledMetrics", None)


def add_kept_fields(xml):
    """Puts the remembered members into each group of a
    DescribeAutoScalingGroups answer, replacing moto's, and gives each
    instance the launch template version it was launched with."""
    with LOCK:
        known = {g: dict(f) for g, f in KEPT.items()}
    ET.register_namespace("", NS)
    root = ET.fromstring(xml)
    q = lambda t: f"{{{NS}}}{t}"
    for member in root.iter(q("member")):
        name = member.find(q("AutoScalingGroupName"))
        if name is None or member.find(q("MinSize")) is None:
            continue
        for field, fragment in known.get(name.text, {}).items():
            for old in member.findall(q(field)):
                member.remove(old)
            el = ET.fromstring(f'<x xmlns="{NS}">{fragment}</x>')[0]
            member.append(el)
        launched_with(name.text, member, q)
    return ET.tostring(root, encoding="unicode")


def launched_with(group, member, q):
    """Each instance's launch template as the group named it when the
    instance was first seen."""
    spec = member.find(q("LaunchTemplate"))
    if spec is None:
        spec = member.find(f"{q('MixedInstancesPolicy')}/{q('LaunchTemplate')}/{q('LaunchTemplateSpecification')}")
    if spec is None:
        return
    current = {c.tag.split("}")[1]: c.text for c in spec}
    instances = member.find(q("Instances"))
    if instances is None:
        return
    with LOCK:
        seen = INSTANCE_LT.setdefault(group, {})
        for inst in instances.findall(q("member")):
            iid = inst.find(q("InstanceId"))
            lt = inst.find(q("LaunchTemplate"))
            if iid is None or lt is None:
                continue
            recorded = seen.setdefault(iid.text, dict(current))
            for child in list(lt):
                lt.remove(child)
            for k in ("LaunchTemplateId", "LaunchTemplateName", "Version"):
                if recorded.get(k):
                    el = ET.SubElement(lt, q(k))
                    el.text = recorded[k]


SERVICES = {"autoscaling": "autoscaling", "monitoring": "cloudwatch", "sns": "sns", "sts": "sts"}


def model(service):
    """botocore's model of a service, by signing name."""
    import botocore.session
    with LOCK:
        if service not in MODELS:
            MODELS[service] = botocore.session.get_session().get_service_model(SERVICES[service])
        return MODELS[service]


def from_form(shape, form, prefix):
    """The value of `shape` at `prefix` in an awsQuery form, typed as the
    model types it; None when absent."""
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            v = from_form(member, form, f"{prefix}.{name}" if prefix else name)
            if v is not None:
                out[name] = v
        return out if out or (prefix and prefix in form) else (None if prefix else out)
    if t == "list":
        items, i = [], 1
        while any(k == f"{prefix}.member.{i}" or k.startswith(f"{prefix}.member.{i}.") for k in form):
            items.append(from_form(shape.member, form, f"{prefix}.member.{i}"))
            i += 1
        if items or form.get(prefix) == "":
            return items
        return None
    if t == "map":
        out, i = {}, 1
        while f"{prefix}.entry.{i}.key" in form:
            out[form[f"{prefix}.entry.{i}.key"]] = from_form(shape.value, form, f"{prefix}.entry.{i}.value")
            i += 1
        return out or None
    if prefix not in form:
        return None
    v = form[prefix]
    if t in ("integer", "long"):
        try:
            return int(v)
        except ValueError:
            return v
    if t in ("double", "float"):
        try:
            return float(v)
        except ValueError:
            return v
    if t == "boolean":
        return {"true": True, "false": False}.get(v, v)
    return v


def structured(service, action, form):
    """A recorded request: its parameters as botocore types them, and what
    botocore's validator says of them."""
    from botocore.validate import ParamValidator
    entry = {"service": service, "action": action}
    if service not in SERVICES:
        entry["problems"] = [f"unknown service `{service}`"]
        return entry
    try:
        op = model(service).operation_model(action)
    except Exception as e:  # an action the model doesn't have
        entry["problems"] = [f"no operation `{action}` in botocore's {SERVICES[service]} model: {e}"]
        return entry
    params = from_form(op.input_shape, form, "") if op.input_shape else {}
    known = {"Action", "Version"}
    entry["params"] = params
    report = ParamValidator().validate(params, op.input_shape) if op.input_shape else None
    problems = [report.generate_report()] if report and report.has_errors() else []
    # A form key the model's shape doesn't explain was sent but not understood.
    flat = set()

    def keys(shape, prefix):
        if shape.type_name == "structure":
            for name, member in shape.members.items():
                keys(member, f"{prefix}.{name}" if prefix else name)
        elif shape.type_name == "list":
            flat.add(("list", prefix))
            keys(shape.member, f"{prefix}.member.N")
        elif shape.type_name == "map":
            flat.add(("map", prefix))
        else:
            flat.add(("scalar", prefix))

    if op.input_shape:
        keys(op.input_shape, "")
    import re
    for k in form:
        if k in known:
            continue
        generic = re.sub(r"\.member\.\d+", ".member.N", k)
        if ("scalar", generic) in flat or ("list", generic) in flat:
            continue
        if any(kind == "map" and generic.startswith(p + ".entry.") for kind, p in flat):
            continue
        problems.append(f"`{k}` is no member of {action}'s input")
    entry["problems"] = problems
    return entry


class Proxy(http.server.BaseHTTPRequestHandler):
    upstream = 0
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/xml"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def service(self):
        """The signing name of the request's credential scope
        (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`)."""
        auth = self.headers.get("Authorization", "")
        scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
        return scope[3] if len(scope) > 3 else ""

    def group_exists(self, name):
        body = urllib.parse.urlencode({
            "Action": "DescribeAutoScalingGroups", "Version": "2011-01-01",
            "AutoScalingGroupNames.member.1": name,
        })
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=30)
        conn.request("POST", "/", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": self.headers.get("Authorization", ""),
            "X-Amz-Date": self.headers.get("X-Amz-Date", ""),
        })
        text = conn.getresponse().read().decode()
        conn.close()
        return f"<AutoScalingGroupName>{escape(name)}</AutoScalingGroupName>" in text

    def notification_api(self, form):
        action = form.get("Action")
        if action == "PutNotificationConfiguration":
            group = form.get("AutoScalingGroupName", "")
            if not self.group_exists(group):
                return 400, xml_error("ValidationError", f"AutoScalingGroup name not found - {group}")
            with LOCK:
                NOTIFICATIONS.setdefault(group, {})[form.get("TopicARN", "")] = members(form, "NotificationTypes")
            return 200, xml_response(action)
        if action == "DeleteNotificationConfiguration":
            group = form.get("AutoScalingGroupName", "")
            with LOCK:
                NOTIFICATIONS.get(group, {}).pop(form.get("TopicARN", ""), None)
            return 200, xml_response(action)
        if action == "DescribeNotificationConfigurations":
            wanted = members(form, "AutoScalingGroupNames")
            rows = []
            with LOCK:
                for group in sorted(NOTIFICATIONS):
                    if wanted and group not in wanted:
                        continue
                    for topic in sorted(NOTIFICATIONS[group]):
                        for t in NOTIFICATIONS[group][topic]:
                            rows.append(f"<member><AutoScalingGroupName>{escape(group)}</AutoScalingGroupName>"
                                        f"<TopicARN>{escape(topic)}</TopicARN><NotificationType>{escape(t)}</NotificationType></member>")
            return 200, xml_response(action, f"<NotificationConfigurations>{''.join(rows)}</NotificationConfigurations>")
        return None

    def lifecycle_api(self, form):
        action = form.get("Action")
        group = form.get("AutoScalingGroupName", "")
        if action == "PutLifecycleHook":
            if not self.group_exists(group):
                return 400, xml_error("ValidationError", f"Group {group} not found")
            name = form.get("LifecycleHookName", "")
            with LOCK:
                hooks = HOOKS.setdefault(group, {})
                hook = dict(hooks.get(name, {}))
                new = not hook
                for k in ("LifecycleTransition", "NotificationTargetARN", "RoleARN",
                          "NotificationMetadata", "HeartbeatTimeout", "DefaultResult"):
                    if k in form:
                        hook[k] = form[k]
                if new and hook.get("NotificationTargetARN") and not hook.get("RoleARN"):
                    return 400, xml_error("ValidationError", "RoleARN is required when NotificationTargetARN is given")
                if new and len(hooks) >= 50:
                    return 400, xml_error("LimitExceeded", f"Max lifecycle hooks reached for group {group}")
                hooks[name] = complete_hook(group, name, hook)
            return 200, xml_response(action)
        if action == "DescribeLifecycleHooks":
            wanted = members(form, "LifecycleHookNames")
            with LOCK:
                hooks = dict(HOOKS.get(group, {}))
            rows = []
            for name in sorted(hooks):
                if wanted and name not in wanted:
                    continue
                h = hooks[name]
                rows.append("<member>" + "".join(f"<{k}>{escape(str(h[k]))}</{k}>" for k in HOOK_MEMBERS if h.get(k) not in (None, "")) + "</member>")
            return 200, xml_response(action, f"<LifecycleHooks>{''.join(rows)}</LifecycleHooks>")
        if action == "DeleteLifecycleHook":
            name = form.get("LifecycleHookName", "")
            with LOCK:
                gone = HOOKS.get(group, {}).pop(name, None)
            if gone is None:
                return 400, xml_error("ValidationError", f"No Lifecycle Hook found for {name}")
            return 200, xml_response(action)
        return None

    def refresh_api(self, form):
        action = form.get("Action")
        group = form.get("AutoScalingGroupName", "")
        if action == "StartInstanceRefresh":
            if not self.group_exists(group):
                return 400, xml_error("ValidationError", f"AutoScalingGroup name not found - {group}")
            with LOCK:
                runs = REFRESHES.setdefault(group, [])
                if any(r["Status"] == "InProgress" for r in runs):
                    return 400, xml_error("InstanceRefreshInProgress",
                                          f"An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
                rid = str(uuid.uuid4())
                prefs = form_tree(form, "Preferences")
                desired = form_tree(form, "DesiredConfiguration")
                runs.append({
                    "StartTime": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "DesiredConfiguration": tree_xml("DesiredConfiguration", desired) if desired else "",
                    "InstanceRefreshId": rid,
                    "AutoScalingGroupName": group,
                    "Status": "InProgress" if HOLD_REFRESHES[0] else "Successful",
                    "PercentageComplete": "0" if HOLD_REFRESHES[0] else "100",
                    "Strategy": form.get("Strategy", "Rolling"),
                    "Preferences": tree_xml("Preferences", prefs) if prefs else "",
                })
                if not HOLD_REFRESHES[0]:
                    # Done at once: every instance now runs what the group names.
                    INSTANCE_LT.pop(group, None)
            return 200, xml_response(action, f"<InstanceRefreshId>{rid}</InstanceRefreshId>")
        if action == "DescribeInstanceRefreshes":
            with LOCK:
                runs = list(reversed(REFRESHES.get(group, [])))
            rows = []
            for r in runs:
                plain = "".join(f"<{k}>{escape(r[k])}</{k}>" for k in
                                ("InstanceRefreshId", "AutoScalingGroupName", "Status", "PercentageComplete", "Strategy"))
                rows.append(f"<member>{plain}<StartTime>{r['StartTime']}</StartTime>"
                            f"{r['Preferences']}{r['DesiredConfiguration']}</member>")
            return 200, xml_response(action, f"<InstanceRefreshes>{''.join(rows)}</InstanceRefreshes>")
        if action == "CancelInstanceRefresh":
            with LOCK:
                active = [r for r in REFRESHES.get(group, []) if r["Status"] == "InProgress"]
                if not active:
                    return 400, xml_error("ActiveInstanceRefreshNotFound", f"No in progress or pending Instance Refresh found for Auto Scaling group {group}")
                active[0]["Status"] = "Cancelled"
            return 200, xml_response(action, f"<InstanceRefreshId>{active[0]['InstanceRefreshId']}</InstanceRefreshId>")
        return None

    def fault(self):
        """None, or which fault to inject into this request."""
        with LOCK:
            FAULTS["count"] += 1
            if not FAULTS["every"] or FAULTS["count"] % FAULTS["every"]:
                return None
            FAULTS["kind"] = (FAULTS["kind"] + 1) % 3
            FAULTS["injected"] += 1
            return ("throttle", "unavailable", "lost")[FAULTS["kind"]]

    def inject(self, kind):
        if kind == "throttle":
            if "json" in self.headers.get("Content-Type", ""):
                return self.reply(400, '{"__type": "ThrottlingException", "message": "Rate exceeded"}', "application/x-amz-json-1.0")
            return self.reply(400, xml_error("Throttling", "Rate exceeded"))
        return self.reply(503, xml_error("ServiceUnavailable", "Service is unavailable"))

    def canned(self, kind, action):
        if kind == "throttle":
            return self.reply(400, xml_error("Throttling", "Rate exceeded"))
        if kind == "denied":
            return self.reply(403, xml_error(
                "AccessDenied",
                f"User: arn:aws:iam::123456789012:user/ci is not authorized to perform: autoscaling:{action}"))
        if kind == "invalid":
            return self.reply(400, xml_error("ValidationError", "Max bound, 5, must be greater than or equal to min bound, 6"))
        if kind == "html":
            return self.reply(502, "<html><head><title>502 Bad Gateway</title></head>"
                                   "<body><center><h1>502 Bad Gateway</h1></center></body></html>", "text/html")
        if kind == "empty":
            return self.reply(503, "", "text/plain")
        if kind == "expired":
            return self.reply(403, xml_error("ExpiredToken", "The security token included in the request is expired"))
        if kind == "quota":
            return self.reply(400, xml_error(
                "LimitExceeded", "You have requested more AutoScalingGroups than your current limit of 500 allows."))
        if kind == "unavailable":
            return self.reply(503, xml_error("ServiceUnavailable", "Service is unavailable"))
        if kind == "notfound":
            return self.reply(404, xml_error("NotFound", "Topic does not exist"))
        if kind == "linked_role":
            return self.reply(400, xml_error(
                "ServiceLinkedRoleFailure", "The service-linked role is not yet ready for use."))
        raise ValueError(kind)

    def do_POST(self):
        with LOCK:
            STATS["in_flight"] += 1
            STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
        try:
            self.post()
        finally:
            with LOCK:
                STATS["in_flight"] -= 1

    def post(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        lose = False
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
            action = form.get("Action", "")
            with LOCK:
                STATS["actions"][action] = STATS["actions"].get(action, 0) + 1
                REQUESTS.append((self.service(), action, form))
                if LOSE.get(action) is False:
                    LOSE[action] = True
                    lose = True
            if action in RESPOND:
                return self.canned(RESPOND[action], action)
        kind = "lost" if lose else self.fault()
        if kind in ("throttle", "unavailable"):
            return self.inject(kind)
        if kind == "lost":
            if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
                if form.get("Action") in ("CreateAutoScalingGroup", "UpdateAutoScalingGroup"):
                    keep_group_fields(form)
                if form.get("Action") == "CreateAutoScalingGroup":
                    keep_hooks_of_new_group(form)
                handled = self.notification_api(form) or self.lifecycle_api(form) or self.refresh_api(form)
                if handled:
                    return self.inject("unavailable")
            self.forward("POST", body, deliver=False)
            return self.inject("unavailable")
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
            handled = (self.notification_api(form) or self.lifecycle_api(form) or self.refresh_api(form)
                       or self.activities_api(form))
            if handled:
                return self.reply(*handled)
            action = form.get("Action")
            if action == "GetMetricData":
                return self.metric_data(form)
            if action == "DeleteAutoScalingGroup":
                with LOCK:
                    NOTIFICATIONS.pop(form.get("AutoScalingGroupName", ""), None)
                    KEPT.pop(form.get("AutoScalingGroupName", ""), None)
                    HOOKS.pop(form.get("AutoScalingGroupName", ""), None)
                    REFRESHES.pop(form.get("AutoScalingGroupName", ""), None)
                    INSTANCE_LT.pop(form.get("AutoScalingGroupName", ""), None)
            if action in ("CreateAutoScalingGroup", "UpdateAutoScalingGroup"):
                keep_group_fields(form)
            if action in ("EnableMetricsCollection", "DisableMetricsCollection"):
                keep_all_metrics(form)
            if action == "CreateAutoScalingGroup":
                keep_hooks_of_new_group(form)
            if action == "DescribeAutoScalingGroups":
                return self.forward("POST", body, rewrite=add_kept_fields)
        self.forward("POST", body)

    def do_GET(self):
        if self.path == "/__scalec_reset_stats":
            with LOCK:
                STATS["actions"] = {}
                STATS["max_in_flight"] = 0
            return self.reply(200, "{}", "application/json")
        if self.path.startswith("/__scalec_respond?"):
            # ACTION=KIND sets a canned answer, ACTION= clears it.
            query = urllib.parse.parse_qsl(self.path.split("?", 1)[1], keep_blank_values=True)
            with LOCK:
                for action, kind in query:
                    if kind:
                        RESPOND[action] = kind
                    else:
                        RESPOND.pop(action, None)
            return self.reply(200, "{}", "application/json")
        if self.path == "/__scalec_requests":
            with LOCK:
                recorded = list(REQUESTS)
            body = json.dumps([structured(service, action, form) for service, action, form in recorded])
            return self.reply(200, body, "application/json")
        if self.path == "/__scalec_faults":
            with LOCK:
                body = json.dumps({"requests": FAULTS["count"], "injected": FAULTS["injected"],
                                   "actions": STATS["actions"], "max_in_flight": STATS["max_in_flight"]})
            return self.reply(200, body, "application/json")
        self.forward("GET", None)

    def do_PUT(self):
        # moto's control API (reset) is not faulted
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/__scalec_activities":
            with LOCK:
                ACTIVITIES.update(json.loads(body))
            return self.reply(200, "{}", "application/json")
        self.forward("PUT", body)

    def activities_api(self, form):
        """DescribeScalingActivities for a group given a history."""
        if form.get("Action") != "DescribeScalingActivities":
            return None
        group = form.get("AutoScalingGroupName", "")
        with LOCK:
            found = list(ACTIVITIES.get(group, []))
        if not found:
            return None
        found.sort(key=lambda a: a["start"], reverse=True)
        start = int(form.get("NextToken", "0") or "0")
        most = min(int(form.get("MaxRecords", "100") or "100"), 100)
        page = found[start:start + most]
        iso = lambda t: datetime.datetime.fromtimestamp(t, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        members = "".join(
            f"<member><ActivityId>{uuid.uuid4()}</ActivityId><AutoScalingGroupName>{escape(group)}</AutoScalingGroupName>"
            f"<Description>{escape(a['description'])}</Description><Cause>{escape(a.get('cause', 'a scaling policy'))}</Cause>"
            f"<StartTime>{iso(a['start'])}</StartTime><EndTime>{iso(a['end'])}</EndTime>"
            f"<StatusCode>{a.get('status', 'Successful')}</StatusCode><Progress>100</Progress></member>"
            for a in page)
        more = f"<NextToken>{start + most}</NextToken>" if start + most < len(found) else ""
        return 200, xml_response("DescribeScalingActivities", f"<Activities>{members}</Activities>{more}")

    def metric_data(self, form):
        """GetMetricData, paged as AWS pages it (moto answers in one page)."""
        token = int(form.pop("NextToken", "0") or "0")
        most = int(form.pop("MaxDatapoints", "100800") or "100800")
        if PAGE["datapoints"]:
            most = min(most, PAGE["datapoints"])
        ascending = form.get("ScanBy") == "TimestampAscending"
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        conn.request("POST", self.path, urllib.parse.urlencode(form).encode(), headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if resp.status != 200:
            return self.reply(resp.status, data.decode())
        root = ET.fromstring(data)
        ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        q = lambda tag: f"{{{ns}}}{tag}" if ns else tag
        results = []
        box = root.find(f".//{q('MetricDataResults')}")
        for m in (box if box is not None else []):
            stamps = [t.text for t in m.find(q("Timestamps")) or []]
            values = [v.text for v in m.find(q("Values")) or []]
            points = sorted(zip(stamps, values), key=lambda p: p[0], reverse=not ascending)
            results.append((m.findtext(q("Id")), m.findtext(q("Label")) or "", points))
        flat = [(i, p) for i, (_, _, pts) in enumerate(results) for p in pts]
        page = flat[token:token + most]
        out = []
        for i, (rid, label, _) in enumerate(results):
            mine = [p for k, p in page if k == i]
            ts = "".join(f"<member>{t}</member>" for t, _ in mine)
            vs = "".join(f"<member>{v}</member>" for _, v in mine)
            out.append(f"<member><Id>{escape(rid or '')}</Id><Label>{escape(label)}</Label>"
                       f"<Timestamps>{ts}</Timestamps><Values>{vs}</Values>"
                       f"<StatusCode>{'PartialData' if token + most < len(flat) else 'Complete'}</StatusCode></member>")
        more = f"<NextToken>{token + most}</NextToken>" if token + most < len(flat) else ""
        body = (f'<GetMetricDataResponse xmlns="{ns}"><GetMetricDataResult><MetricDataResults>{"".join(out)}'
                f"</MetricDataResults>{more}<Messages/></GetMetricDataResult>"
                f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></GetMetricDataResponse>")
        return self.reply(200, body)

    def forward(self, method, body, deliver=True, rewrite=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        conn.request(method, self.path, body, headers)
        resp = conn.getresponse()
        data = resp.read()
        if not deliver:
            conn.close()
            return
        if rewrite and resp.status == 200:
            data = rewrite(data.decode()).encode()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--fault-every", type=int, default=0)
    ap.add_argument("--respond", action="append", default=[], metavar="ACTION=KIND")
    ap.add_argument("--hold-refreshes", action="store_true")
    ap.add_argument("--lose", action="append", default=[], metavar="ACTION")
    ap.add_argument("--page-datapoints", type=int, default=0)
    args = ap.parse_args()
    PAGE["datapoints"] = args.page_datapoints
    HOLD_REFRESHES[0] = args.hold_refreshes
    for action in args.lose:
        LOSE[action] = False
    for r in args.respond:
        action, kind = r.split("=", 1)
        RESPOND[action] = kind
    Proxy.upstream = args.upstream
    FAULTS["every"] = args.fault_every
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Proxy)
    server.serve_forever()


if __name__ == "__main__":
    main()
