/// The templates shipped in the binary, by `<kind>.<part>`; a mounted directory
/// (`NOTIFICATIONS_TEMPLATES_DIR`) may replace any of them with `<kind>.<part>.mustache`.
enum DefaultTemplates {
    static let all: [String: String] = [
        "welcome.inapp.title": "Welcome to {{{app_name}}}",
        "welcome.inapp.body": "Hi {{{name}}}, your account is ready.",
        "welcome.email.subject": "Welcome to {{{app_name}}}, {{{name}}}",
        "welcome.email.text": "Hi {{{name}}},\n\nyour {{{app_name}}} account is ready. Welcome aboard!\n",
        "welcome.email.html": "<p>Hi {{name}},</p><p>your {{app_name}} account is ready. Welcome aboard!</p>",

        "achievement.inapp.title": "{{{streak}}} {{{unit}}} in a row!",
        "achievement.inapp.body": "You kept up “{{{habit_name}}}” for {{{streak}}} {{{unit}}}. Keep going!",
        "achievement.email.subject": "Achievement: {{{streak}}} {{{unit}}} of {{{habit_name}}}",
        "achievement.email.text": "Hi {{{name}}},\n\nyou kept up “{{{habit_name}}}” for {{{streak}}} {{{unit}}} in a row.\n",
        "achievement.email.html": "<p>Hi {{name}},</p><p>you kept up “{{habit_name}}” for <strong>{{streak}} {{unit}}</strong> in a row.</p>",

        "task_assigned.inapp.title": "{{{task_key}}} was assigned to you",
        "task_assigned.inapp.body": "{{{actor}}} assigned you “{{{task_title}}}”{{#due_on}}, due {{{due_on}}}{{/due_on}}.",
        "task_assigned.email.subject": "[{{{task_key}}}] {{{task_title}}} was assigned to you",
        "task_assigned.email.text": "Hi {{{name}}},\n\n{{{actor}}} assigned you {{{task_key}}} “{{{task_title}}}”{{#due_on}}, due {{{due_on}}}{{/due_on}}.\n",
        "task_assigned.email.html": "<p>Hi {{name}},</p><p>{{actor}} assigned you <strong>{{task_key}}</strong> “{{task_title}}”{{#due_on}}, due {{due_on}}{{/due_on}}.</p>",
        "task_completed.inapp.title": "{{{task_key}}} is done",
        "task_completed.inapp.body": "{{{actor}}} completed “{{{task_title}}}”, which you created.",
        "task_completed.email.subject": "[{{{task_key}}}] {{{task_title}}} is done",
        "task_completed.email.text": "Hi {{{name}}},\n\n{{{actor}}} completed {{{task_key}}} “{{{task_title}}}”, which you created.\n",
        "task_completed.email.html": "<p>Hi {{name}},</p><p>{{actor}} completed <strong>{{task_key}}</strong> “{{task_title}}”, which you created.</p>",
        "member_deactivated.inapp.title": "{{{person}}} left {{{project_key}}}",
        "member_deactivated.inapp.body": "{{{person}}} was deactivated; their tasks in {{{project_key}}} are unassigned. Reassign what still matters.",
        "member_deactivated.email.subject": "[{{{project_key}}}] {{{person}}} was deactivated",
        "member_deactivated.email.text": "Hi {{{name}}},\n\n{{{person}}} was deactivated and left {{{project_key}}}; their tasks there are unassigned. Reassign what still matters.\n",
        "member_deactivated.email.html": "<p>Hi {{name}},</p><p>{{person}} was deactivated and left <strong>{{project_key}}</strong>; their tasks there are unassigned. Reassign what still matters.</p>",
        "mentioned.inapp.title": "{{{actor}}} mentioned you on {{{entity}}}",
        "mentioned.inapp.body": "“{{{excerpt}}}”",
        "mentioned.email.subject": "{{{actor}}} mentioned you on {{{entity}}}",
        "mentioned.email.text": "Hi {{{name}}},\n\n{{{actor}}} mentioned you in a comment on {{{entity}}}:\n\n“{{{excerpt}}}”\n",
        "mentioned.email.html": "<p>Hi {{name}},</p><p>{{actor}} mentioned you in a comment on <strong>{{entity}}</strong>:</p><blockquote>{{excerpt}}</blockquote>",
        "timesheet_submitted.inapp.title": "{{{submitter}}} submitted {{{week}}}",
        "timesheet_submitted.inapp.body": "{{{hours}}} hours wait for your approval.",
        "timesheet_submitted.email.subject": "Timesheet {{{week}}} of {{{submitter}}} waits for your approval",
        "timesheet_submitted.email.text": "Hi {{{name}}},\n\n{{{submitter}}} submitted the timesheet of {{{week}}} ({{{hours}}} hours) for your approval.\n",
        "timesheet_submitted.email.html": "<p>Hi {{name}},</p><p>{{submitter}} submitted the timesheet of <strong>{{week}}</strong> ({{hours}} hours) for your approval.</p>",
        "timesheet_decided.inapp.title": "Your timesheet {{{week}}} was {{{decision}}}",
        "timesheet_decided.inapp.body": "{{{actor}}} {{{decision}}} it.{{#comment}} “{{{comment}}}”{{/comment}}",
        "timesheet_decided.email.subject": "Your timesheet {{{week}}} was {{{decision}}}",
        "timesheet_decided.email.text": "Hi {{{name}}},\n\n{{{actor}}} {{{decision}}} your timesheet of {{{week}}}.{{#comment}}\n\n“{{{comment}}}”{{/comment}}\n",
        "timesheet_decided.email.html": "<p>Hi {{name}},</p><p>{{actor}} {{decision}} your timesheet of <strong>{{week}}</strong>.</p>{{#comment}}<blockquote>{{comment}}</blockquote>{{/comment}}",
        "digest.inapp.title": "{{{count}}} {{{category}}} updates",
        "digest.inapp.body": "{{#items}}{{{subject}}}\n{{/items}}",
        "digest.email.subject": "{{{count}}} {{{category}}} updates from {{{app_name}}}",
        "digest.email.text": "Hi {{{name}}},\n\nhere is what happened:\n\n{{#items}}- {{{subject}}}\n  {{{summary}}}\n{{/items}}",
        "digest.email.html": "<p>Hi {{name}},</p><p>here is what happened:</p><ul>{{#items}}<li><strong>{{subject}}</strong><br>{{summary}}</li>{{/items}}</ul>",
        "order_confirmation.inapp.title": "Order {{{order_id}}} placed",
        "order_confirmation.inapp.body": "Total {{{total}}}.",
        "order_confirmation.email.subject": "Your order {{{order_id}}}",
        "order_confirmation.email.text": """
            Hi {{{name}}},

            thank you for your order {{{order_id}}}.
            {{#items}}
            - {{{quantity}}} × {{{product_id}}} at {{{unit_price}}}: {{{line_total}}}
            {{/items}}
            Total: {{{total}}}

            """,
        "order_confirmation.email.html": """
            <p>Hi {{name}},</p><p>thank you for your order {{order_id}}.</p>
            <ul>{{#items}}<li>{{quantity}} × {{product_id}} at {{unit_price}}: {{line_total}}</li>{{/items}}</ul>
            <p><strong>Total: {{total}}</strong></p>
            """,

        "account_locked.inapp.title": "Sign-in paused after failed attempts",
        "account_locked.inapp.body": "Sign-in to your account is paused for {{{locked_minutes}}} minutes after repeated failed attempts from {{{client_ip}}}.",
        "account_locked.email.subject": "Failed sign-in attempts on your {{{app_name}}} account",
        "account_locked.email.text": """
            Hi {{{name}}},

            after repeated failed sign-in attempts from {{{client_ip}}}, sign-in to your account is paused for {{{locked_minutes}}} minutes.
            If this was not you, change your password once you can sign in.

            """,
        "account_locked.email.html": "<p>Hi {{name}},</p><p>after repeated failed sign-in attempts from {{client_ip}}, sign-in to your account is paused for {{locked_minutes}} minutes.</p><p>If this was not you, change your password once you can sign in.</p>",

        "reminder.inapp.title": "{{{title}}}",
        "reminder.inapp.body": "Your {{{local_time}}} reminder.",
        "reminder.email.subject": "Reminder: {{{title}}}",
        "reminder.email.text": "Hi {{{name}}},\n\nthis is your {{{local_time}}} reminder: {{{title}}}.\n",
        "reminder.email.html": "<p>Hi {{name}},</p><p>this is your {{local_time}} reminder: {{title}}.</p>",

        "direct.inapp.title": "{{{title}}}",
        "direct.inapp.body": "{{{body}}}",
        "direct.email.subject": "{{{title}}}",
        "direct.email.text": "Hi {{{name}}},\n\n{{{body}}}\n",
        "direct.email.html": "<p>Hi {{name}},</p><p>{{body}}</p>",
    ]
}
