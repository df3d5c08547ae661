window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1850000000000000000",
      "created_at": "Thu Oct 31 15:00:00 +0000 2024",
      "full_text": "@cityslowly I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "285743288011275095",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999992081",
      "created_at": "Thu Oct 31 09:33:00 +0000 2024",
      "full_text": "Morning thought: the 7:40 train needs a little more patience than I have. #python https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/638631467036160760"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999984162",
      "created_at": "Wed Oct 30 14:03:00 +0000 2024",
      "full_text": "Turns out the neighbour's cat feels like a small holiday.\n\nIt only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999976243",
      "created_at": "Wed Oct 30 08:42:00 +0000 2024",
      "full_text": "RT @maya_codes: My tiny balcony garden smells like cinnamon and good decisions. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999968324",
      "created_at": "Wed Oct 30 04:55:00 +0000 2024",
      "full_text": "Fun fact: our tomato plant deserves more appreciation. It only took three tries and one long walk. #weekend https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/852320595889659565"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999960405",
      "created_at": "Tue Oct 29 19:56:00 +0000 2024",
      "full_text": "Confession: the river path taught me more than any course. It only took three tries and one long walk. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/583397925480303023"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999952486",
      "created_at": "Tue Oct 29 12:20:00 +0000 2024",
      "full_text": "Honestly, the 7:40 train still has no business being this good.\n\nI should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999944567",
      "created_at": "Mon Oct 28 14:15:00 +0000 2024",
      "full_text": "@tom_bakes okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "977307685633401550",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999936648",
      "created_at": "Sun Oct 27 21:35:00 +0000 2024",
      "full_text": "Just realised the bakery on the corner is the reason I get up early.\n\nIt only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999928729",
      "created_at": "Sun Oct 27 05:18:00 +0000 2024",
      "full_text": "Quick thought: the late night bus needs a little more patience than I have. The rain held off just long enough. https://t.co/506d5e32",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999920810",
      "created_at": "Sun Oct 27 02:02:00 +0000 2024",
      "full_text": "Still thinking about how the new bike lane is quietly the best part of the city.\n\nThe trick was to stop overthinking and just start. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999912891",
      "created_at": "Sat Oct 26 04:21:00 +0000 2024",
      "full_text": "Honestly, my cast iron pan is the reason I get up early.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999904972",
      "created_at": "Fri Oct 25 03:25:00 +0000 2024",
      "full_text": "Hot take: the README I wrote last year feels like a small holiday.\n\nLesson learned: read the manual first. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999897053",
      "created_at": "Thu Oct 24 03:01:00 +0000 2024",
      "full_text": "@maya_codes this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "621852468916451360",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999889134",
      "created_at": "Thu Oct 24 02:39:00 +0000 2024",
      "full_text": "Weekend plan: my sourdough starter reminded me to slow down. #python",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999881215",
      "created_at": "Wed Oct 23 13:05:00 +0000 2024",
      "full_text": "@jazzfan42 that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "713683868060168844",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999873296",
      "created_at": "Tue Oct 22 18:57:00 +0000 2024",
      "full_text": "PSA: my tiny balcony garden needs a little more patience than I have.\n\nSomewhere a past version of me is laughing. https://t.co/b13f2331",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999865377",
      "created_at": "Tue Oct 22 05:58:00 +0000 2024",
      "full_text": "@jazzfan42 same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "260952753906369379",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999857458",
      "created_at": "Mon Oct 21 07:05:00 +0000 2024",
      "full_text": "Confession: our tomato plant keeps surprising me. #running https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/216330998204203365"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999849539",
      "created_at": "Mon Oct 21 04:17:00 +0000 2024",
      "full_text": "Quick thought: the office plant deserves more appreciation. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999841620",
      "created_at": "Sun Oct 20 19:52:00 +0000 2024",
      "full_text": "@maya_codes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "176635044818693118",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999833701",
      "created_at": "Sun Oct 20 09:51:00 +0000 2024",
      "full_text": "Unpopular opinion: that little ramen place is quietly the best part of the city.\n\nSomewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999825782",
      "created_at": "Sun Oct 20 06:30:00 +0000 2024",
      "full_text": "Fun fact: our tomato plant was worth every minute. Nobody warned me it would be this much fun. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/343529412472530697"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999817863",
      "created_at": "Sun Oct 20 00:45:00 +0000 2024",
      "full_text": "@plantdad adding this to my list for the weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "191857217157952381",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999809944",
      "created_at": "Sat Oct 19 22:14:00 +0000 2024",
      "full_text": "@jazzfan42 you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "958343652292693871",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999802025",
      "created_at": "Sat Oct 19 20:44:00 +0000 2024",
      "full_text": "Morning thought: the new bike lane still has no business being this good. Somewhere a past version of me is laughing. #python",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999794106",
      "created_at": "Sat Oct 19 12:11:00 +0000 2024",
      "full_text": "Update: my first marathon training plan made my whole week better. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999786187",
      "created_at": "Sat Oct 19 00:32:00 +0000 2024",
      "full_text": "@nora_reads this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "850555774350766737",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999778268",
      "created_at": "Fri Oct 18 21:38:00 +0000 2024",
      "full_text": "Unpopular opinion: my record collection keeps surprising me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999770349",
      "created_at": "Fri Oct 18 09:28:00 +0000 2024",
      "full_text": "Update: the river path made my whole week better. I took far too many photos of it. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999762430",
      "created_at": "Thu Oct 17 22:23:00 +0000 2024",
      "full_text": "Reminder to myself: this old paperback still has no business being this good. My notes app is now full of ideas. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999754511",
      "created_at": "Thu Oct 17 01:23:00 +0000 2024",
      "full_text": "Update: my sourdough starter is louder than it has any right to be.\n\nSomewhere a past version of me is laughing. #coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999746592",
      "created_at": "Wed Oct 16 08:52:00 +0000 2024",
      "full_text": "Small win today: the office plant needs a little more patience than I have. #coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999738673",
      "created_at": "Tue Oct 15 23:17:00 +0000 2024",
      "full_text": "Weekend plan: a rainy Sunday reminded me to slow down.\n\nI took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999730754",
      "created_at": "Tue Oct 15 01:42:00 +0000 2024",
      "full_text": "RT @plantdad: The river path is louder than it has any right to be. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999722835",
      "created_at": "Mon Oct 14 15:46:00 +0000 2024",
      "full_text": "ok https://t.co/b28b4d33",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999714916",
      "created_at": "Mon Oct 14 08:21:00 +0000 2024",
      "full_text": "Reminder to myself: our tomato plant needs a little more patience than I have. I should write down why before I forget. #running https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/498589116273971407"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999706997",
      "created_at": "Sun Oct 13 17:09:00 +0000 2024",
      "full_text": "Confession: that little ramen place keeps surprising me. I'm calling it a personal record &amp; nobody can stop me. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999699078",
      "created_at": "Sun Oct 13 03:02:00 +0000 2024",
      "full_text": "Still thinking about how my sourdough starter is louder than it has any right to be. https://t.co/c7d18f7a",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999691159",
      "created_at": "Sat Oct 12 06:35:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999683240",
      "created_at": "Fri Oct 11 22:27:00 +0000 2024",
      "full_text": "RT @cityslowly: My cast iron pan is quietly the best part of the city. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999675321",
      "created_at": "Fri Oct 11 14:53:00 +0000 2024",
      "full_text": "Fun fact: the office plant broke in the most interesting way. The trick was to stop overthinking and just start. #gardening https://t.co/a11c9080",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999667402",
      "created_at": "Thu Oct 10 17:01:00 +0000 2024",
      "full_text": "Honestly, the river path needs a little more patience than I have. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999659483",
      "created_at": "Wed Oct 09 19:35:00 +0000 2024",
      "full_text": "@maya_codes this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "212721720686556201",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999651564",
      "created_at": "Wed Oct 09 01:05:00 +0000 2024",
      "full_text": "good morning",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999643645",
      "created_at": "Tue Oct 08 16:56:00 +0000 2024",
      "full_text": "Unpopular opinion: the hiking trail up the hill is louder than it has any right to be. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999635726",
      "created_at": "Mon Oct 07 18:22:00 +0000 2024",
      "full_text": "Reminder to myself: my first marathon training plan was worth every minute. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999627807",
      "created_at": "Mon Oct 07 02:43:00 +0000 2024",
      "full_text": "good morning",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999619888",
      "created_at": "Sun Oct 06 17:45:00 +0000 2024",
      "full_text": "RT @tom_bakes: The readme i wrote last year still has no business being this good. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999611969",
      "created_at": "Sun Oct 06 17:11:00 +0000 2024",
      "full_text": "Fun fact: our tomato plant still has no business being this good.\n\nMy notes app is now full of ideas. #bookclub https://t.co/a34aca5f",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999604050",
      "created_at": "Sun Oct 06 06:30:00 +0000 2024",
      "full_text": "RT @cityslowly: The late night bus smells like cinnamon and good decisions. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999596131",
      "created_at": "Sat Oct 05 20:16:00 +0000 2024",
      "full_text": "Fun fact: a rainy Sunday keeps surprising me. My notes app is now full of ideas. #sourdough https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/389111535133633031"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999588212",
      "created_at": "Sat Oct 05 09:37:00 +0000 2024",
      "full_text": "Fun fact: my first marathon training plan feels like a small holiday. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999580293",
      "created_at": "Fri Oct 04 19:22:00 +0000 2024",
      "full_text": "@plantdad agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "920434901088752347",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999572374",
      "created_at": "Thu Oct 03 21:27:00 +0000 2024",
      "full_text": "RT @cityslowly: My sourdough starter was worth every minute. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999564455",
      "created_at": "Thu Oct 03 07:37:00 +0000 2024",
      "full_text": "Note to future me: my record collection still has no business being this good. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999556536",
      "created_at": "Wed Oct 02 15:57:00 +0000 2024",
      "full_text": "nice https://t.co/67fcbf6f",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999548617",
      "created_at": "Tue Oct 01 20:33:00 +0000 2024",
      "full_text": "Fun fact: the office plant deserves more appreciation. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/374570230695440794"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999540698",
      "created_at": "Tue Oct 01 03:21:00 +0000 2024",
      "full_text": "Turns out the new bike lane is louder than it has any right to be. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999532779",
      "created_at": "Mon Sep 30 11:59:00 +0000 2024",
      "full_text": "brb coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999524860",
      "created_at": "Mon Sep 30 08:40:00 +0000 2024",
      "full_text": "Can't believe the 7:40 train reminded me to slow down. https://t.co/4067921a",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999516941",
      "created_at": "Sun Sep 29 16:30:00 +0000 2024",
      "full_text": "PSA: my sourdough starter is the reason I get up early. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/640917431232800077"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999509022",
      "created_at": "Sun Sep 29 14:27:00 +0000 2024",
      "full_text": "Best book you read this year, go.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999501103",
      "created_at": "Sun Sep 29 13:09:00 +0000 2024",
      "full_text": "nice",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999493184",
      "created_at": "Sun Sep 29 03:40:00 +0000 2024",
      "full_text": "Small win today: the farmers market taught me more than any course. Somewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999485265",
      "created_at": "Sat Sep 28 20:08:00 +0000 2024",
      "full_text": "Weekend plan: the farmers market needs a little more patience than I have. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999477346",
      "created_at": "Sat Sep 28 16:51:00 +0000 2024",
      "full_text": "Reminder to myself: our tomato plant broke in the most interesting way. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/394881799745690080"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999469427",
      "created_at": "Fri Sep 27 17:13:00 +0000 2024",
      "full_text": "Fun fact: the neighbour's cat reminded me to slow down. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999461508",
      "created_at": "Fri Sep 27 01:22:00 +0000 2024",
      "full_text": "Confession: my test suite is quietly the best part of the city. I'm calling it a personal record and nobody can stop me. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999453589",
      "created_at": "Thu Sep 26 11:20:00 +0000 2024",
      "full_text": "How do you all keep a plant alive through winter?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999445670",
      "created_at": "Thu Sep 26 10:47:00 +0000 2024",
      "full_text": "Still thinking about how the late night bus made my whole week better. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999437751",
      "created_at": "Thu Sep 26 02:18:00 +0000 2024",
      "full_text": "Unpopular opinion: my test suite broke in the most interesting way. Nobody warned me it would be this much fun. #sourdough https://t.co/4acaa474",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999429832",
      "created_at": "Wed Sep 25 20:23:00 +0000 2024",
      "full_text": "Just realised the office plant made my whole week better.\n\nLesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999421913",
      "created_at": "Wed Sep 25 09:17:00 +0000 2024",
      "full_text": "@maya_codes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "524817415868076857",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999413994",
      "created_at": "Tue Sep 24 13:00:00 +0000 2024",
      "full_text": "PSA: our tomato plant deserves more appreciation. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999406075",
      "created_at": "Mon Sep 23 23:19:00 +0000 2024",
      "full_text": "Honestly, the README I wrote last year made my whole week better.\n\nLesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999398156",
      "created_at": "Mon Sep 23 21:44:00 +0000 2024",
      "full_text": "Today I learned our tomato plant made my whole week better. I'm calling it a personal record and nobody can stop me. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/984718447215891873"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999390237",
      "created_at": "Mon Sep 23 09:37:00 +0000 2024",
      "full_text": "Honestly, my test suite needs a little more patience than I have.\n\nI took far too many photos of it. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999382318",
      "created_at": "Sun Sep 22 11:40:00 +0000 2024",
      "full_text": "Quick thought: my cast iron pan keeps surprising me. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/342423601642664082"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999374399",
      "created_at": "Sat Sep 21 13:49:00 +0000 2024",
      "full_text": "Fun fact: the hiking trail up the hill is the reason I get up early.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999366480",
      "created_at": "Fri Sep 20 20:35:00 +0000 2024",
      "full_text": "@jazzfan42 that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "160315063750043457",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999358561",
      "created_at": "Thu Sep 19 22:50:00 +0000 2024",
      "full_text": "Update: the neighbour's cat deserves more appreciation. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999350642",
      "created_at": "Wed Sep 18 23:15:00 +0000 2024",
      "full_text": "Unpopular opinion: my tiny balcony garden was worth every minute. Lesson learned: read the manual first. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999342723",
      "created_at": "Wed Sep 18 21:06:00 +0000 2024",
      "full_text": "Unpopular opinion: the library's reading room smells like cinnamon and good decisions. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999334804",
      "created_at": "Wed Sep 18 11:18:00 +0000 2024",
      "full_text": "Small win today: the jazz trio downstairs reminded me to slow down. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/610739211610460034"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999326885",
      "created_at": "Tue Sep 17 14:03:00 +0000 2024",
      "full_text": "@maya_codes I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "867644562574575973",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999318966",
      "created_at": "Mon Sep 16 14:33:00 +0000 2024",
      "full_text": "Turns out the bakery on the corner is the reason I get up early.\n\nIf you see me smiling on the street, this is why. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/170835687440324711"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999311047",
      "created_at": "Sun Sep 15 16:04:00 +0000 2024",
      "full_text": "RT @maya_codes: This old paperback feels like a small holiday. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999303128",
      "created_at": "Sun Sep 15 14:57:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999295209",
      "created_at": "Sun Sep 15 12:14:00 +0000 2024",
      "full_text": "Unpopular opinion: the farmers market deserves more appreciation. #python https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/869526452263615000"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999287290",
      "created_at": "Sat Sep 14 17:14:00 +0000 2024",
      "full_text": "lol",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999279371",
      "created_at": "Sat Sep 14 12:20:00 +0000 2024",
      "full_text": "wow",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999271452",
      "created_at": "Sat Sep 14 10:49:00 +0000 2024",
      "full_text": "Weekend plan: the late night bus needs a little more patience than I have.\n\nSomewhere a past version of me is laughing. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999263533",
      "created_at": "Sat Sep 14 02:58:00 +0000 2024",
      "full_text": "Reminder to myself: a rainy Sunday broke in the most interesting way. My notes app is now full of ideas. #running https://t.co/0d6eecb1",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999255614",
      "created_at": "Fri Sep 13 19:50:00 +0000 2024",
      "full_text": "Unpopular opinion: my sourdough starter smells like cinnamon &amp; good decisions. My notes app is now full of ideas. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/334077037251899317"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999247695",
      "created_at": "Fri Sep 13 13:28:00 +0000 2024",
      "full_text": "@jazzfan42 you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "596640053232357203",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999239776",
      "created_at": "Fri Sep 13 01:30:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999231857",
      "created_at": "Thu Sep 12 22:43:00 +0000 2024",
      "full_text": "Turns out the neighbour's cat feels like a small holiday. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999223938",
      "created_at": "Wed Sep 11 23:10:00 +0000 2024",
      "full_text": "Just realised the river path smells like cinnamon and good decisions. Tomorrow I'm trying it again with more coffee. #python",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999216019",
      "created_at": "Tue Sep 10 23:01:00 +0000 2024",
      "full_text": "RT @jazzfan42: My record collection still has no business being this good. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999208100",
      "created_at": "Mon Sep 09 23:57:00 +0000 2024",
      "full_text": "@nora_reads okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "614233313436357590",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999200181",
      "created_at": "Mon Sep 09 07:15:00 +0000 2024",
      "full_text": "Small win today: my first marathon training plan needs a little more patience than I have.\n\nI took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999192262",
      "created_at": "Mon Sep 09 00:22:00 +0000 2024",
      "full_text": "nice",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999184343",
      "created_at": "Sun Sep 08 00:51:00 +0000 2024",
      "full_text": "Fun fact: this old paperback made my whole week better.\n\nIf you see me smiling on the street, this is why. https://t.co/4c451444",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999176424",
      "created_at": "Sat Sep 07 04:11:00 +0000 2024",
      "full_text": "Today I learned my tiny balcony garden taught me more than any course.\n\nSomewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999168505",
      "created_at": "Sat Sep 07 02:24:00 +0000 2024",
      "full_text": "Small win today: the library's reading room somehow fixed my mood. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999160586",
      "created_at": "Fri Sep 06 23:23:00 +0000 2024",
      "full_text": "@plantdad agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "384453037463936418",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999152667",
      "created_at": "Fri Sep 06 02:39:00 +0000 2024",
      "full_text": "Morning thought: my sourdough starter made my whole week better.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999144748",
      "created_at": "Thu Sep 05 10:27:00 +0000 2024",
      "full_text": "Just realised my tiny balcony garden was worth every minute. It only took three tries and one long walk. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/718113908192221614"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999136829",
      "created_at": "Thu Sep 05 04:59:00 +0000 2024",
      "full_text": "Reminder to myself: the river path feels like a small holiday. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999128910",
      "created_at": "Wed Sep 04 21:39:00 +0000 2024",
      "full_text": "Honestly, this old paperback deserves more appreciation. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999120991",
      "created_at": "Wed Sep 04 11:27:00 +0000 2024",
      "full_text": "Hot take: the jazz trio downstairs still has no business being this good. Somewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999113072",
      "created_at": "Tue Sep 03 19:08:00 +0000 2024",
      "full_text": "Update: a rainy Sunday deserves more appreciation.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999105153",
      "created_at": "Tue Sep 03 10:26:00 +0000 2024",
      "full_text": "Does anyone else read the last page first?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999097234",
      "created_at": "Mon Sep 02 14:06:00 +0000 2024",
      "full_text": "Quick thought: our tomato plant deserves more appreciation. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999089315",
      "created_at": "Mon Sep 02 12:06:00 +0000 2024",
      "full_text": "Just realised my test suite is the reason I get up early. I should write down why before I forget. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/435467765385880433"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999081396",
      "created_at": "Sun Sep 01 14:33:00 +0000 2024",
      "full_text": "How do you all keep a plant alive through winter?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999073477",
      "created_at": "Sun Sep 01 05:46:00 +0000 2024",
      "full_text": "PSA: the neighbour's cat broke in the most interesting way. I took far too many photos of it. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999065558",
      "created_at": "Sat Aug 31 11:44:00 +0000 2024",
      "full_text": "Unpopular opinion: that little ramen place is louder than it has any right to be.\n\nTen out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999057639",
      "created_at": "Sat Aug 31 10:07:00 +0000 2024",
      "full_text": "RT @plantdad: My cast iron pan smells like cinnamon and good decisions. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999049720",
      "created_at": "Sat Aug 31 01:35:00 +0000 2024",
      "full_text": "@maya_codes that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "982214482390420726",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999041801",
      "created_at": "Fri Aug 30 07:02:00 +0000 2024",
      "full_text": "Turns out a rainy Sunday feels like a small holiday.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999033882",
      "created_at": "Thu Aug 29 18:37:00 +0000 2024",
      "full_text": "Reminder to myself: that little ramen place still has no business being this good. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999025963",
      "created_at": "Thu Aug 29 01:43:00 +0000 2024",
      "full_text": "Turns out the new bike lane somehow fixed my mood.\n\nNext time I'm bringing a thermos and a better playlist. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999018044",
      "created_at": "Wed Aug 28 23:38:00 +0000 2024",
      "full_text": "Honestly, my tiny balcony garden feels like a small holiday.\n\nI'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999010125",
      "created_at": "Wed Aug 28 07:11:00 +0000 2024",
      "full_text": "@jazzfan42 I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "200251590434778018",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999999002206",
      "created_at": "Tue Aug 27 20:08:00 +0000 2024",
      "full_text": "@plantdad I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "679399816552298905",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998994287",
      "created_at": "Tue Aug 27 06:10:00 +0000 2024",
      "full_text": "Note to future me: the farmers market smells like cinnamon and good decisions. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998986368",
      "created_at": "Mon Aug 26 06:25:00 +0000 2024",
      "full_text": "@river_runner I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "711415851791368642",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998978449",
      "created_at": "Sun Aug 25 10:36:00 +0000 2024",
      "full_text": "Reminder to myself: the office plant is quietly the best part of the city. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/253045886901162211"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998970530",
      "created_at": "Sat Aug 24 20:16:00 +0000 2024",
      "full_text": "@tom_bakes you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "153771080295479164",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998962611",
      "created_at": "Sat Aug 24 04:05:00 +0000 2024",
      "full_text": "Fun fact: my sourdough starter is the reason I get up early.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998954692",
      "created_at": "Fri Aug 23 03:16:00 +0000 2024",
      "full_text": "RT @maya_codes: The hiking trail up the hill taught me more than any course. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998946773",
      "created_at": "Thu Aug 22 10:28:00 +0000 2024",
      "full_text": "Reminder to myself: my record collection taught me more than any course.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998938854",
      "created_at": "Thu Aug 22 03:06:00 +0000 2024",
      "full_text": "Still thinking about how the jazz trio downstairs needs a little more patience than I have. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998930935",
      "created_at": "Wed Aug 21 10:24:00 +0000 2024",
      "full_text": "Note to future me: the farmers market still has no business being this good. Nobody warned me it would be this much fun. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/167165949525561948"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998923016",
      "created_at": "Wed Aug 21 09:48:00 +0000 2024",
      "full_text": "Fun fact: the hiking trail up the hill broke in the most interesting way.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998915097",
      "created_at": "Wed Aug 21 07:52:00 +0000 2024",
      "full_text": "How do you all keep a plant alive through winter?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998907178",
      "created_at": "Tue Aug 20 08:07:00 +0000 2024",
      "full_text": "Weekend plan: the hiking trail up the hill still has no business being this good.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998899259",
      "created_at": "Mon Aug 19 11:09:00 +0000 2024",
      "full_text": "@river_runner that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "837561190174718090",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998891340",
      "created_at": "Sun Aug 18 19:59:00 +0000 2024",
      "full_text": "Quick thought: the neighbour's cat was worth every minute. Somewhere a past version of me is laughing. https://t.co/642994e3",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998883421",
      "created_at": "Sun Aug 18 12:51:00 +0000 2024",
      "full_text": "Small win today: the neighbour's cat was worth every minute. Lesson learned: read the manual first. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998875502",
      "created_at": "Sun Aug 18 07:41:00 +0000 2024",
      "full_text": "Reminder to myself: my record collection reminded me to slow down. I should write down why before I forget. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/849514195096532480"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998867583",
      "created_at": "Sat Aug 17 16:35:00 +0000 2024",
      "full_text": "Honestly, the library's reading room still has no business being this good.\n\nLesson learned: read the manual first. #cycling https://t.co/dec90e7f",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998859664",
      "created_at": "Sat Aug 17 15:58:00 +0000 2024",
      "full_text": "@cityslowly this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "840024873783595274",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998851745",
      "created_at": "Sat Aug 17 14:21:00 +0000 2024",
      "full_text": "Turns out the river path broke in the most interesting way.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998843826",
      "created_at": "Sat Aug 17 07:29:00 +0000 2024",
      "full_text": "Small win today: the new bike lane made my whole week better. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/838144754608107383"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998835907",
      "created_at": "Fri Aug 16 12:01:00 +0000 2024",
      "full_text": "@cityslowly this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "522983880267967807",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998827988",
      "created_at": "Thu Aug 15 20:50:00 +0000 2024",
      "full_text": "Update: the jazz trio downstairs needs a little more patience than I have. #gardening https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/461018215921888704"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998820069",
      "created_at": "Thu Aug 15 01:47:00 +0000 2024",
      "full_text": "@nora_reads agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "755625238206354317",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998812150",
      "created_at": "Wed Aug 14 21:05:00 +0000 2024",
      "full_text": "@tom_bakes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "461116110190223996",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998804231",
      "created_at": "Tue Aug 13 23:02:00 +0000 2024",
      "full_text": "Honestly, the office plant was worth every minute. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998796312",
      "created_at": "Tue Aug 13 04:01:00 +0000 2024",
      "full_text": "RT @cityslowly: That little ramen place made my whole week better. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998788393",
      "created_at": "Mon Aug 12 16:17:00 +0000 2024",
      "full_text": "RT @nora_reads: My test suite feels like a small holiday. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998780474",
      "created_at": "Mon Aug 12 04:07:00 +0000 2024",
      "full_text": "Fun fact: that little ramen place reminded me to slow down. Next time I'm bringing a thermos and a better playlist. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998772555",
      "created_at": "Sun Aug 11 08:33:00 +0000 2024",
      "full_text": "Reminder to myself: the neighbour's cat feels like a small holiday. If you see me smiling on the street, this is why. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/128219466697169170"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998764636",
      "created_at": "Sat Aug 10 17:43:00 +0000 2024",
      "full_text": "Still thinking about how my tiny balcony garden reminded me to slow down. https://t.co/d5a3ad44",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998756717",
      "created_at": "Sat Aug 10 16:18:00 +0000 2024",
      "full_text": "Hot take: my record collection deserves more appreciation. If you see me smiling on the street, this is why. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998748798",
      "created_at": "Fri Aug 09 19:21:00 +0000 2024",
      "full_text": "Small win today: the 7:40 train feels like a small holiday. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998740879",
      "created_at": "Thu Aug 08 21:16:00 +0000 2024",
      "full_text": "Still thinking about how the late night bus is louder than it has any right to be.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998732960",
      "created_at": "Thu Aug 08 06:49:00 +0000 2024",
      "full_text": "same",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998725041",
      "created_at": "Wed Aug 07 22:41:00 +0000 2024",
      "full_text": "Just realised the 7:40 train made my whole week better.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998717122",
      "created_at": "Wed Aug 07 11:19:00 +0000 2024",
      "full_text": "Confession: the 7:40 train broke in the most interesting way. Somewhere a past version of me is laughing. https://t.co/af371ca9",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998709203",
      "created_at": "Wed Aug 07 01:44:00 +0000 2024",
      "full_text": "Reminder to myself: the 7:40 train was worth every minute. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998701284",
      "created_at": "Tue Aug 06 22:45:00 +0000 2024",
      "full_text": "Note to future me: my sourdough starter broke in the most interesting way.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998693365",
      "created_at": "Tue Aug 06 11:02:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998685446",
      "created_at": "Mon Aug 05 16:56:00 +0000 2024",
      "full_text": "PSA: the neighbour's cat feels like a small holiday.\n\nNobody warned me it would be this much fun. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/728151822368687298"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998677527",
      "created_at": "Mon Aug 05 06:49:00 +0000 2024",
      "full_text": "yes!! https://t.co/518f96e0",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998669608",
      "created_at": "Mon Aug 05 05:55:00 +0000 2024",
      "full_text": "Weekend plan: that little ramen place broke in the most interesting way. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998661689",
      "created_at": "Sun Aug 04 10:29:00 +0000 2024",
      "full_text": "Morning thought: the jazz trio downstairs made my whole week better. https://t.co/b0215084",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998653770",
      "created_at": "Sat Aug 03 16:56:00 +0000 2024",
      "full_text": "Weekend plan: that little ramen place is louder than it has any right to be. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/488614978105791927"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998645851",
      "created_at": "Fri Aug 02 18:11:00 +0000 2024",
      "full_text": "Turns out the library's reading room feels like a small holiday. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998637932",
      "created_at": "Fri Aug 02 10:03:00 +0000 2024",
      "full_text": "Weekend plan: my sourdough starter deserves more appreciation.\n\nTen out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998630013",
      "created_at": "Thu Aug 01 23:27:00 +0000 2024",
      "full_text": "Hot take: the new bike lane reminded me to slow down.\n\nIt only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998622094",
      "created_at": "Thu Aug 01 00:27:00 +0000 2024",
      "full_text": "Confession: my cast iron pan is quietly the best part of the city. https://t.co/b87a5599",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998614175",
      "created_at": "Wed Jul 31 08:39:00 +0000 2024",
      "full_text": "Update: our tomato plant deserves more appreciation. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998606256",
      "created_at": "Wed Jul 31 07:15:00 +0000 2024",
      "full_text": "Hot take: our tomato plant feels like a small holiday. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/100901515623837724"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998598337",
      "created_at": "Tue Jul 30 17:32:00 +0000 2024",
      "full_text": "lol https://t.co/16e1a1cf",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998590418",
      "created_at": "Tue Jul 30 00:18:00 +0000 2024",
      "full_text": "Can't believe my cast iron pan made my whole week better.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998582499",
      "created_at": "Mon Jul 29 03:48:00 +0000 2024",
      "full_text": "Unpopular opinion: the farmers market somehow fixed my mood. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998574580",
      "created_at": "Sun Jul 28 09:29:00 +0000 2024",
      "full_text": "RT @nora_reads: The office plant is the reason I get up early. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998566661",
      "created_at": "Sat Jul 27 18:26:00 +0000 2024",
      "full_text": "@maya_codes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "560101015226413222",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998558742",
      "created_at": "Sat Jul 27 11:51:00 +0000 2024",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998550823",
      "created_at": "Fri Jul 26 20:43:00 +0000 2024",
      "full_text": "Update: the README I wrote last year keeps surprising me.\n\nI took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998542904",
      "created_at": "Fri Jul 26 19:26:00 +0000 2024",
      "full_text": "Quick thought: the library's reading room taught me more than any course.\n\nI should write down why before I forget. #bookclub https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/863060346653459607"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998534985",
      "created_at": "Fri Jul 26 01:26:00 +0000 2024",
      "full_text": "RT @river_runner: The neighbour's cat smells like cinnamon and good decisions. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998527066",
      "created_at": "Thu Jul 25 23:07:00 +0000 2024",
      "full_text": "Reminder to myself: the river path made my whole week better.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998519147",
      "created_at": "Thu Jul 25 05:30:00 +0000 2024",
      "full_text": "Quick thought: my record collection reminded me to slow down.\n\nI took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998511228",
      "created_at": "Thu Jul 25 02:08:00 +0000 2024",
      "full_text": "@cityslowly same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "595334916389820081",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998503309",
      "created_at": "Wed Jul 24 23:11:00 +0000 2024",
      "full_text": "@nora_reads same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "405315772564478056",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998495390",
      "created_at": "Wed Jul 24 02:32:00 +0000 2024",
      "full_text": "Reminder to myself: my test suite reminded me to slow down.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998487471",
      "created_at": "Tue Jul 23 21:11:00 +0000 2024",
      "full_text": "@jazzfan42 same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "376810074754616038",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998479552",
      "created_at": "Tue Jul 23 06:18:00 +0000 2024",
      "full_text": "Unpopular opinion: the README I wrote last year is quietly the best part of the city. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998471633",
      "created_at": "Mon Jul 22 10:31:00 +0000 2024",
      "full_text": "PSA: this old paperback smells like cinnamon and good decisions.\n\nI'm calling it a personal record and nobody can stop me. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/475448267904124938"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998463714",
      "created_at": "Sun Jul 21 13:26:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998455795",
      "created_at": "Sat Jul 20 14:36:00 +0000 2024",
      "full_text": "Confession: the 7:40 train made my whole week better. Somewhere a past version of me is laughing. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998447876",
      "created_at": "Fri Jul 19 22:30:00 +0000 2024",
      "full_text": "RT @plantdad: My test suite is quietly the best part of the city. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998439957",
      "created_at": "Fri Jul 19 02:13:00 +0000 2024",
      "full_text": "@nora_reads same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "833553783578832091",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998432038",
      "created_at": "Thu Jul 18 19:08:00 +0000 2024",
      "full_text": "@nora_reads I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "899257036701800035",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998424119",
      "created_at": "Thu Jul 18 05:02:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998416200",
      "created_at": "Wed Jul 17 04:35:00 +0000 2024",
      "full_text": "Note to future me: the jazz trio downstairs deserves more appreciation. #weekend https://t.co/32fa6103",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998408281",
      "created_at": "Tue Jul 16 13:50:00 +0000 2024",
      "full_text": "Today I learned the office plant taught me more than any course. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/613081389439919560"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998400362",
      "created_at": "Mon Jul 15 17:34:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998392443",
      "created_at": "Mon Jul 15 00:17:00 +0000 2024",
      "full_text": "ok https://t.co/3adbb309",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998384524",
      "created_at": "Sat Jul 13 23:49:00 +0000 2024",
      "full_text": "Can't believe the bakery on the corner deserves more appreciation.\n\nIt only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998376605",
      "created_at": "Sat Jul 13 09:37:00 +0000 2024",
      "full_text": "Can't believe the 7:40 train made my whole week better. I took far too many photos of it. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/449974477405435056"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998368686",
      "created_at": "Fri Jul 12 09:44:00 +0000 2024",
      "full_text": "Weekend plan: my test suite feels like a small holiday.\n\nNext time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998360767",
      "created_at": "Thu Jul 11 08:57:00 +0000 2024",
      "full_text": "PSA: the README I wrote last year smells like cinnamon &amp; good decisions. https://t.co/13753478",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998352848",
      "created_at": "Wed Jul 10 11:39:00 +0000 2024",
      "full_text": "RT @plantdad: The 7:40 train taught me more than any course. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998344929",
      "created_at": "Wed Jul 10 01:42:00 +0000 2024",
      "full_text": "Honestly, the 7:40 train made my whole week better. https://t.co/13e2e742",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998337010",
      "created_at": "Tue Jul 09 22:30:00 +0000 2024",
      "full_text": "Still thinking about how the office plant still has no business being this good.\n\nI'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998329091",
      "created_at": "Tue Jul 09 14:17:00 +0000 2024",
      "full_text": "@river_runner that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "732459175047604474",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998321172",
      "created_at": "Tue Jul 09 05:51:00 +0000 2024",
      "full_text": "Morning thought: the river path smells like cinnamon and good decisions. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998313253",
      "created_at": "Mon Jul 08 14:31:00 +0000 2024",
      "full_text": "@plantdad this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "219067783132855718",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998305334",
      "created_at": "Mon Jul 08 01:27:00 +0000 2024",
      "full_text": "@plantdad same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "173896295764593118",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998297415",
      "created_at": "Sun Jul 07 07:01:00 +0000 2024",
      "full_text": "@jazzfan42 this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "803849690833991115",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998289496",
      "created_at": "Sat Jul 06 06:16:00 +0000 2024",
      "full_text": "@plantdad I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "405616592639985380",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998281577",
      "created_at": "Fri Jul 05 08:12:00 +0000 2024",
      "full_text": "Turns out the office plant broke in the most interesting way. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998273658",
      "created_at": "Fri Jul 05 06:35:00 +0000 2024",
      "full_text": "Update: my tiny balcony garden is the reason I get up early. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998265739",
      "created_at": "Fri Jul 05 02:41:00 +0000 2024",
      "full_text": "Today I learned our tomato plant keeps surprising me. Next time I'm bringing a thermos &amp; a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998257820",
      "created_at": "Thu Jul 04 03:12:00 +0000 2024",
      "full_text": "@cityslowly adding this to my list for the weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "561250405078513697",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998249901",
      "created_at": "Thu Jul 04 01:57:00 +0000 2024",
      "full_text": "Unpopular opinion: that little ramen place smells like cinnamon and good decisions. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/400462628523579932"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998241982",
      "created_at": "Wed Jul 03 08:54:00 +0000 2024",
      "full_text": "PSA: this old paperback is quietly the best part of the city. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998234063",
      "created_at": "Wed Jul 03 02:19:00 +0000 2024",
      "full_text": "Turns out that little ramen place is louder than it has any right to be.\n\nMy notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998226144",
      "created_at": "Tue Jul 02 02:54:00 +0000 2024",
      "full_text": "RT @maya_codes: The office plant broke in the most interesting way. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998218225",
      "created_at": "Mon Jul 01 17:07:00 +0000 2024",
      "full_text": "Can't believe my tiny balcony garden keeps surprising me.\n\nThe rain held off just long enough. #gardening https://t.co/888b286d",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998210306",
      "created_at": "Mon Jul 01 14:09:00 +0000 2024",
      "full_text": "@tom_bakes I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "918665246138897843",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998202387",
      "created_at": "Sun Jun 30 17:12:00 +0000 2024",
      "full_text": "PSA: the 7:40 train deserves more appreciation. Lesson learned: read the manual first. #weekend https://t.co/0a44cea2",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998194468",
      "created_at": "Sat Jun 29 19:40:00 +0000 2024",
      "full_text": "Today I learned that little ramen place taught me more than any course. Next time I'm bringing a thermos and a better playlist. https://t.co/d97a83e7",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998186549",
      "created_at": "Fri Jun 28 23:44:00 +0000 2024",
      "full_text": "Can't believe my test suite needs a little more patience than I have. It only took three tries and one long walk. https://t.co/12aa1356",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998178630",
      "created_at": "Fri Jun 28 23:21:00 +0000 2024",
      "full_text": "@maya_codes same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "558048518275506009",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998170711",
      "created_at": "Fri Jun 28 03:44:00 +0000 2024",
      "full_text": "@river_runner you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "925388139219419376",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998162792",
      "created_at": "Thu Jun 27 22:53:00 +0000 2024",
      "full_text": "Note to future me: this old paperback is the reason I get up early.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998154873",
      "created_at": "Thu Jun 27 08:56:00 +0000 2024",
      "full_text": "Update: the jazz trio downstairs is the reason I get up early. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998146954",
      "created_at": "Thu Jun 27 03:42:00 +0000 2024",
      "full_text": "Small win today: the jazz trio downstairs smells like cinnamon and good decisions. Next time I'm bringing a thermos and a better playlist. #python https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/955100901017156611"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998139035",
      "created_at": "Wed Jun 26 09:51:00 +0000 2024",
      "full_text": "lol",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998131116",
      "created_at": "Wed Jun 26 04:21:00 +0000 2024",
      "full_text": "Hot take: the hiking trail up the hill is quietly the best part of the city. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998123197",
      "created_at": "Tue Jun 25 06:11:00 +0000 2024",
      "full_text": "Confession: the 7:40 train is louder than it has any right to be.\n\nTen out of ten, would recommend to a friend. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998115278",
      "created_at": "Mon Jun 24 20:38:00 +0000 2024",
      "full_text": "@river_runner you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "387557342962116808",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998107359",
      "created_at": "Mon Jun 24 16:02:00 +0000 2024",
      "full_text": "Confession: my cast iron pan made my whole week better. Next time I'm bringing a thermos &amp; a better playlist. https://t.co/b74c245d",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998099440",
      "created_at": "Mon Jun 24 03:20:00 +0000 2024",
      "full_text": "Note to future me: a rainy Sunday feels like a small holiday.\n\nTomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998091521",
      "created_at": "Sun Jun 23 11:39:00 +0000 2024",
      "full_text": "Today I learned my test suite feels like a small holiday.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998083602",
      "created_at": "Sat Jun 22 14:25:00 +0000 2024",
      "full_text": "Turns out my cast iron pan made my whole week better. I'm calling it a personal record and nobody can stop me. https://t.co/8eb31b29",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998075683",
      "created_at": "Fri Jun 21 18:16:00 +0000 2024",
      "full_text": "yes!! https://t.co/0b4e7304",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998067764",
      "created_at": "Thu Jun 20 17:47:00 +0000 2024",
      "full_text": "RT @tom_bakes: My tiny balcony garden smells like cinnamon and good decisions. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998059845",
      "created_at": "Thu Jun 20 05:18:00 +0000 2024",
      "full_text": "Turns out the neighbour's cat reminded me to slow down. #running https://t.co/101324ef",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998051926",
      "created_at": "Thu Jun 20 00:09:00 +0000 2024",
      "full_text": "Best book you read this year, go.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998044007",
      "created_at": "Wed Jun 19 15:44:00 +0000 2024",
      "full_text": "Turns out the bakery on the corner was worth every minute. My notes app is now full of ideas. https://t.co/fd4f9b32",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998036088",
      "created_at": "Tue Jun 18 16:13:00 +0000 2024",
      "full_text": "Weekend plan: my cast iron pan deserves more appreciation. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998028169",
      "created_at": "Mon Jun 17 19:28:00 +0000 2024",
      "full_text": "nice",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998020250",
      "created_at": "Mon Jun 17 10:31:00 +0000 2024",
      "full_text": "RT @tom_bakes: My test suite broke in the most interesting way. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998012331",
      "created_at": "Sun Jun 16 19:20:00 +0000 2024",
      "full_text": "brb coffee https://t.co/5b2c876d",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999998004412",
      "created_at": "Sun Jun 16 07:58:00 +0000 2024",
      "full_text": "Fun fact: my test suite needs a little more patience than I have.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997996493",
      "created_at": "Sat Jun 15 22:57:00 +0000 2024",
      "full_text": "Note to future me: the office plant reminded me to slow down.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997988574",
      "created_at": "Sat Jun 15 14:38:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997980655",
      "created_at": "Sat Jun 15 07:29:00 +0000 2024",
      "full_text": "Honestly, the README I wrote last year is the reason I get up early.\n\nThe rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997972736",
      "created_at": "Fri Jun 14 22:47:00 +0000 2024",
      "full_text": "Just realised this old paperback still has no business being this good.\n\nLesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997964817",
      "created_at": "Fri Jun 14 18:31:00 +0000 2024",
      "full_text": "@river_runner same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "559515582532347383",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997956898",
      "created_at": "Thu Jun 13 22:35:00 +0000 2024",
      "full_text": "Reminder to myself: my test suite smells like cinnamon and good decisions.\n\nThe rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997948979",
      "created_at": "Thu Jun 13 04:45:00 +0000 2024",
      "full_text": "Turns out the farmers market reminded me to slow down. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997941060",
      "created_at": "Thu Jun 13 03:54:00 +0000 2024",
      "full_text": "Hot take: this old paperback is quietly the best part of the city. #bookclub https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/342120330455581270"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997933141",
      "created_at": "Wed Jun 12 17:01:00 +0000 2024",
      "full_text": "@maya_codes that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "441269128339445980",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997925222",
      "created_at": "Wed Jun 12 01:05:00 +0000 2024",
      "full_text": "RT @river_runner: This old paperback broke in the most interesting way. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997917303",
      "created_at": "Tue Jun 11 13:50:00 +0000 2024",
      "full_text": "Unpopular opinion: the farmers market was worth every minute. Nobody warned me it would be this much fun. https://t.co/c9ac6272",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997909384",
      "created_at": "Mon Jun 10 13:29:00 +0000 2024",
      "full_text": "@maya_codes that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "168715861106440913",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997901465",
      "created_at": "Mon Jun 10 00:17:00 +0000 2024",
      "full_text": "Reminder to myself: my tiny balcony garden smells like cinnamon and good decisions. #python",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997893546",
      "created_at": "Sun Jun 09 10:56:00 +0000 2024",
      "full_text": "Hot take: the hiking trail up the hill feels like a small holiday. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997885627",
      "created_at": "Sun Jun 09 00:52:00 +0000 2024",
      "full_text": "How do you all keep a plant alive through winter?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997877708",
      "created_at": "Sat Jun 08 02:18:00 +0000 2024",
      "full_text": "Morning thought: the river path still has no business being this good. The trick was to stop overthinking &amp; just start. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997869789",
      "created_at": "Fri Jun 07 13:25:00 +0000 2024",
      "full_text": "lol https://t.co/3ee38102",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997861870",
      "created_at": "Fri Jun 07 12:21:00 +0000 2024",
      "full_text": "Weekend plan: the README I wrote last year taught me more than any course.\n\nMy notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997853951",
      "created_at": "Thu Jun 06 21:51:00 +0000 2024",
      "full_text": "Best book you read this year, go.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997846032",
      "created_at": "Thu Jun 06 06:33:00 +0000 2024",
      "full_text": "Fun fact: that little ramen place reminded me to slow down. Lesson learned: read the manual first. https://t.co/f38a3857",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997838113",
      "created_at": "Wed Jun 05 16:53:00 +0000 2024",
      "full_text": "Today I learned the hiking trail up the hill broke in the most interesting way.\n\nMy notes app is now full of ideas. https://t.co/b4f4d5e3",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997830194",
      "created_at": "Wed Jun 05 07:16:00 +0000 2024",
      "full_text": "Note to future me: this old paperback somehow fixed my mood. I took far too many photos of it. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997822275",
      "created_at": "Tue Jun 04 21:42:00 +0000 2024",
      "full_text": "@jazzfan42 that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "513043567522726531",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997814356",
      "created_at": "Tue Jun 04 13:00:00 +0000 2024",
      "full_text": "Weekend plan: the farmers market reminded me to slow down.\n\nTen out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997806437",
      "created_at": "Mon Jun 03 13:01:00 +0000 2024",
      "full_text": "Note to future me: my record collection was worth every minute.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997798518",
      "created_at": "Sun Jun 02 17:52:00 +0000 2024",
      "full_text": "Note to future me: this old paperback was worth every minute. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997790599",
      "created_at": "Sun Jun 02 11:55:00 +0000 2024",
      "full_text": "@jazzfan42 that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "760205911454099257",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997782680",
      "created_at": "Sun Jun 02 10:41:00 +0000 2024",
      "full_text": "@maya_codes you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "675717873262590674",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997774761",
      "created_at": "Sat Jun 01 14:19:00 +0000 2024",
      "full_text": "Weekend plan: the late night bus is the reason I get up early. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997766842",
      "created_at": "Fri May 31 15:43:00 +0000 2024",
      "full_text": "@jazzfan42 that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "270162911613884006",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997758923",
      "created_at": "Fri May 31 04:00:00 +0000 2024",
      "full_text": "Note to future me: my cast iron pan reminded me to slow down. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997751004",
      "created_at": "Thu May 30 18:39:00 +0000 2024",
      "full_text": "Morning thought: my test suite feels like a small holiday.\n\nIf you see me smiling on the street, this is why. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/276999661713185227"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997743085",
      "created_at": "Thu May 30 01:47:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997735166",
      "created_at": "Wed May 29 04:00:00 +0000 2024",
      "full_text": "Fun fact: my record collection was worth every minute.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997727247",
      "created_at": "Wed May 29 03:11:00 +0000 2024",
      "full_text": "RT @jazzfan42: The farmers market feels like a small holiday. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997719328",
      "created_at": "Tue May 28 10:05:00 +0000 2024",
      "full_text": "RT @plantdad: My tiny balcony garden needs a little more patience than I have. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997711409",
      "created_at": "Tue May 28 06:22:00 +0000 2024",
      "full_text": "@tom_bakes this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "856798911179908292",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997703490",
      "created_at": "Mon May 27 17:52:00 +0000 2024",
      "full_text": "Today I learned the office plant taught me more than any course. I took far too many photos of it. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/107378430332176463"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997695571",
      "created_at": "Sun May 26 17:50:00 +0000 2024",
      "full_text": "RT @tom_bakes: The hiking trail up the hill somehow fixed my mood. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997687652",
      "created_at": "Sat May 25 22:13:00 +0000 2024",
      "full_text": "Weekend plan: the farmers market feels like a small holiday.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997679733",
      "created_at": "Fri May 24 22:31:00 +0000 2024",
      "full_text": "PSA: a rainy Sunday still has no business being this good. #coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997671814",
      "created_at": "Fri May 24 12:55:00 +0000 2024",
      "full_text": "RT @cityslowly: A rainy sunday deserves more appreciation. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997663895",
      "created_at": "Fri May 24 08:06:00 +0000 2024",
      "full_text": "Quick thought: my tiny balcony garden made my whole week better. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997655976",
      "created_at": "Thu May 23 15:47:00 +0000 2024",
      "full_text": "same",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997648057",
      "created_at": "Thu May 23 10:26:00 +0000 2024",
      "full_text": "Unpopular opinion: a rainy Sunday deserves more appreciation. I took far too many photos of it. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997640138",
      "created_at": "Thu May 23 00:23:00 +0000 2024",
      "full_text": "Fun fact: my record collection is louder than it has any right to be. Tomorrow I'm trying it again with more coffee. https://t.co/7d992c66",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997632219",
      "created_at": "Wed May 22 19:15:00 +0000 2024",
      "full_text": "RT @plantdad: That little ramen place taught me more than any course. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997624300",
      "created_at": "Tue May 21 22:19:00 +0000 2024",
      "full_text": "Can't believe the late night bus made my whole week better. Nobody warned me it would be this much fun. #running https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/218618800592029486"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997616381",
      "created_at": "Tue May 21 21:45:00 +0000 2024",
      "full_text": "wow https://t.co/319bac72",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997608462",
      "created_at": "Tue May 21 11:21:00 +0000 2024",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997600543",
      "created_at": "Mon May 20 12:17:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997592624",
      "created_at": "Mon May 20 09:07:00 +0000 2024",
      "full_text": "Honestly, the office plant was worth every minute. The rain held off just long enough. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997584705",
      "created_at": "Sun May 19 22:23:00 +0000 2024",
      "full_text": "Can't believe the late night bus still has no business being this good. https://t.co/84869c2f",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997576786",
      "created_at": "Sun May 19 11:47:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997568867",
      "created_at": "Sat May 18 19:03:00 +0000 2024",
      "full_text": "RT @jazzfan42: The farmers market taught me more than any course. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997560948",
      "created_at": "Sat May 18 15:21:00 +0000 2024",
      "full_text": "Small win today: my cast iron pan feels like a small holiday. I took far too many photos of it. https://t.co/640fe5af",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997553029",
      "created_at": "Sat May 18 02:34:00 +0000 2024",
      "full_text": "Still thinking about how my sourdough starter is quietly the best part of the city.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997545110",
      "created_at": "Fri May 17 07:13:00 +0000 2024",
      "full_text": "PSA: my test suite broke in the most interesting way. It only took three tries &amp; one long walk. https://t.co/220bce00",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997537191",
      "created_at": "Thu May 16 19:21:00 +0000 2024",
      "full_text": "Hot take: my cast iron pan was worth every minute. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997529272",
      "created_at": "Thu May 16 15:05:00 +0000 2024",
      "full_text": "Turns out the farmers market somehow fixed my mood.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997521353",
      "created_at": "Wed May 15 16:10:00 +0000 2024",
      "full_text": "Just realised a rainy Sunday feels like a small holiday.\n\nLesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997513434",
      "created_at": "Wed May 15 06:40:00 +0000 2024",
      "full_text": "Quick thought: the new bike lane keeps surprising me. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/192129612688894298"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997505515",
      "created_at": "Tue May 14 06:40:00 +0000 2024",
      "full_text": "Update: my cast iron pan taught me more than any course.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997497596",
      "created_at": "Tue May 14 06:18:00 +0000 2024",
      "full_text": "Confession: the README I wrote last year needs a little more patience than I have.\n\nLesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997489677",
      "created_at": "Mon May 13 13:16:00 +0000 2024",
      "full_text": "@tom_bakes that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "521647273985048042",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997481758",
      "created_at": "Mon May 13 00:14:00 +0000 2024",
      "full_text": "@jazzfan42 same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "228719989881676642",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997473839",
      "created_at": "Sun May 12 12:56:00 +0000 2024",
      "full_text": "Quick thought: the library's reading room somehow fixed my mood. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997465920",
      "created_at": "Sat May 11 15:24:00 +0000 2024",
      "full_text": "Honestly, the office plant deserves more appreciation.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997458001",
      "created_at": "Fri May 10 19:07:00 +0000 2024",
      "full_text": "RT @tom_bakes: My sourdough starter deserves more appreciation. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997450082",
      "created_at": "Fri May 10 03:58:00 +0000 2024",
      "full_text": "RT @nora_reads: The bakery on the corner needs a little more patience than I have. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997442163",
      "created_at": "Thu May 09 16:07:00 +0000 2024",
      "full_text": "@tom_bakes that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "776427734380863967",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997434244",
      "created_at": "Wed May 08 21:44:00 +0000 2024",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997426325",
      "created_at": "Wed May 08 03:19:00 +0000 2024",
      "full_text": "RT @jazzfan42: The readme i wrote last year reminded me to slow down. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997418406",
      "created_at": "Tue May 07 05:36:00 +0000 2024",
      "full_text": "Just realised my tiny balcony garden is louder than it has any right to be.\n\nNext time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997410487",
      "created_at": "Mon May 06 20:16:00 +0000 2024",
      "full_text": "Best book you read this year, go.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997402568",
      "created_at": "Mon May 06 08:19:00 +0000 2024",
      "full_text": "Just realised my cast iron pan keeps surprising me.\n\nNobody warned me it would be this much fun. #coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997394649",
      "created_at": "Mon May 06 03:30:00 +0000 2024",
      "full_text": "Reminder to myself: the jazz trio downstairs is louder than it has any right to be. Ten out of ten, would recommend to a friend. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997386730",
      "created_at": "Mon May 06 01:09:00 +0000 2024",
      "full_text": "Weekend plan: the library's reading room is the reason I get up early.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997378811",
      "created_at": "Mon May 06 00:06:00 +0000 2024",
      "full_text": "Reminder to myself: that little ramen place is the reason I get up early.\n\nI took far too many photos of it. #python",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997370892",
      "created_at": "Sun May 05 08:59:00 +0000 2024",
      "full_text": "How do you all keep a plant alive through winter?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997362973",
      "created_at": "Sat May 04 18:56:00 +0000 2024",
      "full_text": "PSA: the office plant feels like a small holiday.\n\nNobody warned me it would be this much fun. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997355054",
      "created_at": "Fri May 03 21:31:00 +0000 2024",
      "full_text": "brb coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997347135",
      "created_at": "Fri May 03 19:32:00 +0000 2024",
      "full_text": "Note to future me: the 7:40 train made my whole week better. Somewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997339216",
      "created_at": "Fri May 03 02:51:00 +0000 2024",
      "full_text": "@cityslowly agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "848222252621601652",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997331297",
      "created_at": "Thu May 02 20:47:00 +0000 2024",
      "full_text": "Weekend plan: my first marathon training plan smells like cinnamon and good decisions. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997323378",
      "created_at": "Thu May 02 11:46:00 +0000 2024",
      "full_text": "good morning",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997315459",
      "created_at": "Wed May 01 17:28:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997307540",
      "created_at": "Tue Apr 30 17:40:00 +0000 2024",
      "full_text": "Honestly, the jazz trio downstairs is louder than it has any right to be.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997299621",
      "created_at": "Tue Apr 30 04:42:00 +0000 2024",
      "full_text": "Note to future me: the 7:40 train still has no business being this good.\n\nI'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997291702",
      "created_at": "Mon Apr 29 06:45:00 +0000 2024",
      "full_text": "RT @maya_codes: The bakery on the corner somehow fixed my mood. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997283783",
      "created_at": "Sun Apr 28 12:35:00 +0000 2024",
      "full_text": "Morning thought: the library's reading room needs a little more patience than I have.\n\nNext time I'm bringing a thermos &amp; a better playlist. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/636760884541881256"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997275864",
      "created_at": "Sun Apr 28 09:34:00 +0000 2024",
      "full_text": "Update: my cast iron pan is quietly the best part of the city. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997267945",
      "created_at": "Sat Apr 27 13:55:00 +0000 2024",
      "full_text": "Small win today: our tomato plant made my whole week better. https://t.co/fa5cd734",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997260026",
      "created_at": "Sat Apr 27 06:26:00 +0000 2024",
      "full_text": "Fun fact: the jazz trio downstairs needs a little more patience than I have. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997252107",
      "created_at": "Fri Apr 26 14:07:00 +0000 2024",
      "full_text": "RT @tom_bakes: The late night bus somehow fixed my mood. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997244188",
      "created_at": "Thu Apr 25 19:32:00 +0000 2024",
      "full_text": "@jazzfan42 I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "934141466980616908",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997236269",
      "created_at": "Thu Apr 25 06:56:00 +0000 2024",
      "full_text": "@jazzfan42 this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "876456290243456225",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997228350",
      "created_at": "Wed Apr 24 10:34:00 +0000 2024",
      "full_text": "RT @river_runner: The readme i wrote last year deserves more appreciation. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997220431",
      "created_at": "Tue Apr 23 22:57:00 +0000 2024",
      "full_text": "RT @maya_codes: Our tomato plant feels like a small holiday. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997212512",
      "created_at": "Tue Apr 23 10:33:00 +0000 2024",
      "full_text": "Reminder to myself: the late night bus is louder than it has any right to be.\n\nSomewhere a past version of me is laughing. https://t.co/ff71986c",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997204593",
      "created_at": "Mon Apr 22 16:39:00 +0000 2024",
      "full_text": "Confession: the river path is louder than it has any right to be. I'm calling it a personal record &amp; nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997196674",
      "created_at": "Sun Apr 21 19:17:00 +0000 2024",
      "full_text": "Can't believe the 7:40 train still has no business being this good.\n\nNobody warned me it would be this much fun. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997188755",
      "created_at": "Sat Apr 20 20:16:00 +0000 2024",
      "full_text": "Still thinking about how the bakery on the corner somehow fixed my mood. If you see me smiling on the street, this is why. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997180836",
      "created_at": "Sat Apr 20 04:12:00 +0000 2024",
      "full_text": "same https://t.co/7672614f",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997172917",
      "created_at": "Fri Apr 19 14:06:00 +0000 2024",
      "full_text": "Reminder to myself: a rainy Sunday smells like cinnamon and good decisions. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997164998",
      "created_at": "Thu Apr 18 18:37:00 +0000 2024",
      "full_text": "so true",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997157079",
      "created_at": "Wed Apr 17 21:06:00 +0000 2024",
      "full_text": "RT @jazzfan42: My sourdough starter reminded me to slow down. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997149160",
      "created_at": "Wed Apr 17 04:09:00 +0000 2024",
      "full_text": "Unpopular opinion: the river path still has no business being this good. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997141241",
      "created_at": "Tue Apr 16 19:11:00 +0000 2024",
      "full_text": "Update: my tiny balcony garden deserves more appreciation. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997133322",
      "created_at": "Mon Apr 15 21:31:00 +0000 2024",
      "full_text": "Confession: this old paperback keeps surprising me.\n\nThe trick was to stop overthinking and just start. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997125403",
      "created_at": "Mon Apr 15 02:52:00 +0000 2024",
      "full_text": "Reminder to myself: the jazz trio downstairs needs a little more patience than I have.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997117484",
      "created_at": "Sun Apr 14 19:04:00 +0000 2024",
      "full_text": "Honestly, my first marathon training plan needs a little more patience than I have. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997109565",
      "created_at": "Sun Apr 14 08:17:00 +0000 2024",
      "full_text": "Confession: my tiny balcony garden is the reason I get up early. Next time I'm bringing a thermos &amp; a better playlist. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/970214677199255321"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997101646",
      "created_at": "Sat Apr 13 17:24:00 +0000 2024",
      "full_text": "Turns out the README I wrote last year made my whole week better.\n\nNobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997093727",
      "created_at": "Fri Apr 12 22:48:00 +0000 2024",
      "full_text": "RT @jazzfan42: My tiny balcony garden needs a little more patience than I have. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997085808",
      "created_at": "Fri Apr 12 13:01:00 +0000 2024",
      "full_text": "Note to future me: the library's reading room smells like cinnamon and good decisions. Ten out of ten, would recommend to a friend. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997077889",
      "created_at": "Thu Apr 11 19:42:00 +0000 2024",
      "full_text": "Reminder to myself: the neighbour's cat made my whole week better. https://t.co/a01872a3",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997069970",
      "created_at": "Thu Apr 11 08:39:00 +0000 2024",
      "full_text": "@river_runner same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "121243352997099610",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997062051",
      "created_at": "Wed Apr 10 07:42:00 +0000 2024",
      "full_text": "Quick thought: the library's reading room somehow fixed my mood. I took far too many photos of it. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/743749803079272666"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997054132",
      "created_at": "Tue Apr 09 08:14:00 +0000 2024",
      "full_text": "@maya_codes I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "991525100012820456",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997046213",
      "created_at": "Tue Apr 09 00:20:00 +0000 2024",
      "full_text": "Honestly, the hiking trail up the hill deserves more appreciation. The trick was to stop overthinking and just start. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/834694130092436524"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997038294",
      "created_at": "Mon Apr 08 19:32:00 +0000 2024",
      "full_text": "Just realised that little ramen place broke in the most interesting way. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/542229628273785918"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997030375",
      "created_at": "Mon Apr 08 00:55:00 +0000 2024",
      "full_text": "Note to future me: my record collection still has no business being this good.\n\nThe trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997022456",
      "created_at": "Sun Apr 07 23:04:00 +0000 2024",
      "full_text": "Morning thought: the neighbour's cat was worth every minute. The rain held off just long enough. #sourdough https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/716552492638449823"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997014537",
      "created_at": "Sat Apr 06 23:51:00 +0000 2024",
      "full_text": "good morning https://t.co/09b303ce",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999997006618",
      "created_at": "Sat Apr 06 17:52:00 +0000 2024",
      "full_text": "RT @nora_reads: The jazz trio downstairs somehow fixed my mood. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996998699",
      "created_at": "Sat Apr 06 10:46:00 +0000 2024",
      "full_text": "Does anyone else read the last page first?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996990780",
      "created_at": "Fri Apr 05 22:53:00 +0000 2024",
      "full_text": "Update: the hiking trail up the hill made my whole week better. Somewhere a past version of me is laughing. #bookclub https://t.co/a96b2b38",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996982861",
      "created_at": "Fri Apr 05 06:16:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996974942",
      "created_at": "Fri Apr 05 04:58:00 +0000 2024",
      "full_text": "@cityslowly I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "949013077407699095",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996967023",
      "created_at": "Thu Apr 04 05:39:00 +0000 2024",
      "full_text": "good morning",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996959104",
      "created_at": "Wed Apr 03 19:55:00 +0000 2024",
      "full_text": "Today I learned our tomato plant made my whole week better. #python",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996951185",
      "created_at": "Wed Apr 03 15:04:00 +0000 2024",
      "full_text": "Update: the README I wrote last year is louder than it has any right to be. #bookclub https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/357146843483803554"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996943266",
      "created_at": "Tue Apr 02 21:45:00 +0000 2024",
      "full_text": "Note to future me: the office plant somehow fixed my mood.\n\nI took far too many photos of it. #sourdough https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/575600495606481582"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996935347",
      "created_at": "Mon Apr 01 22:04:00 +0000 2024",
      "full_text": "Fun fact: my first marathon training plan needs a little more patience than I have. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/273868299387777825"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996927428",
      "created_at": "Mon Apr 01 13:28:00 +0000 2024",
      "full_text": "Quick thought: the README I wrote last year is the reason I get up early. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996919509",
      "created_at": "Mon Apr 01 07:57:00 +0000 2024",
      "full_text": "@maya_codes that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "147091566538830535",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996911590",
      "created_at": "Mon Apr 01 05:06:00 +0000 2024",
      "full_text": "Morning thought: my tiny balcony garden somehow fixed my mood. It only took three tries and one long walk. https://t.co/6561a6d2",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996903671",
      "created_at": "Sun Mar 31 12:27:00 +0000 2024",
      "full_text": "@cityslowly okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "426535147496666923",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996895752",
      "created_at": "Sat Mar 30 17:43:00 +0000 2024",
      "full_text": "@jazzfan42 same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "592041590078794705",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996887833",
      "created_at": "Sat Mar 30 15:05:00 +0000 2024",
      "full_text": "Unpopular opinion: this old paperback broke in the most interesting way. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996879914",
      "created_at": "Fri Mar 29 23:19:00 +0000 2024",
      "full_text": "Hot take: the office plant somehow fixed my mood.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996871995",
      "created_at": "Fri Mar 29 14:39:00 +0000 2024",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996864076",
      "created_at": "Fri Mar 29 13:35:00 +0000 2024",
      "full_text": "Quick thought: the river path is the reason I get up early.\n\nLesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996856157",
      "created_at": "Fri Mar 29 08:37:00 +0000 2024",
      "full_text": "Confession: this old paperback made my whole week better. If you see me smiling on the street, this is why. https://t.co/51ed86ad",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996848238",
      "created_at": "Thu Mar 28 07:49:00 +0000 2024",
      "full_text": "Morning thought: the river path is the reason I get up early.\n\nThe trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996840319",
      "created_at": "Wed Mar 27 15:41:00 +0000 2024",
      "full_text": "Reminder to myself: the README I wrote last year smells like cinnamon and good decisions.\n\nSomewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996832400",
      "created_at": "Wed Mar 27 10:53:00 +0000 2024",
      "full_text": "RT @maya_codes: The river path keeps surprising me. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996824481",
      "created_at": "Tue Mar 26 21:54:00 +0000 2024",
      "full_text": "Just realised the farmers market made my whole week better. The trick was to stop overthinking and just start. https://t.co/b719b1a4",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996816562",
      "created_at": "Tue Mar 26 21:14:00 +0000 2024",
      "full_text": "Quick thought: the river path broke in the most interesting way. https://t.co/2d3ff903",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996808643",
      "created_at": "Tue Mar 26 13:58:00 +0000 2024",
      "full_text": "Small win today: my record collection was worth every minute.\n\nTomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996800724",
      "created_at": "Tue Mar 26 04:52:00 +0000 2024",
      "full_text": "Confession: the library's reading room still has no business being this good.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996792805",
      "created_at": "Tue Mar 26 02:15:00 +0000 2024",
      "full_text": "Note to future me: my first marathon training plan reminded me to slow down.\n\nThe rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996784886",
      "created_at": "Mon Mar 25 10:33:00 +0000 2024",
      "full_text": "@plantdad you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "691335446109893593",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996776967",
      "created_at": "Sun Mar 24 18:46:00 +0000 2024",
      "full_text": "Confession: my tiny balcony garden is the reason I get up early.\n\nIt only took three tries and one long walk. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/876490630602567490"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996769048",
      "created_at": "Sun Mar 24 00:58:00 +0000 2024",
      "full_text": "PSA: the office plant is quietly the best part of the city.\n\nThe rain held off just long enough. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996761129",
      "created_at": "Sat Mar 23 02:06:00 +0000 2024",
      "full_text": "RT @jazzfan42: The river path broke in the most interesting way. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996753210",
      "created_at": "Fri Mar 22 07:42:00 +0000 2024",
      "full_text": "Weekend plan: this old paperback smells like cinnamon &amp; good decisions. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996745291",
      "created_at": "Fri Mar 22 05:19:00 +0000 2024",
      "full_text": "Unpopular opinion: the office plant is quietly the best part of the city. The rain held off just long enough. https://t.co/7d577b4b",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996737372",
      "created_at": "Thu Mar 21 18:36:00 +0000 2024",
      "full_text": "Turns out the bakery on the corner smells like cinnamon &amp; good decisions. Lesson learned: read the manual first. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/795069452433780756"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996729453",
      "created_at": "Thu Mar 21 10:38:00 +0000 2024",
      "full_text": "wow https://t.co/63eb45fa",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996721534",
      "created_at": "Thu Mar 21 03:13:00 +0000 2024",
      "full_text": "Reminder to myself: the jazz trio downstairs is the reason I get up early.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996713615",
      "created_at": "Wed Mar 20 14:54:00 +0000 2024",
      "full_text": "@maya_codes same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "789178392635365567",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996705696",
      "created_at": "Tue Mar 19 17:02:00 +0000 2024",
      "full_text": "RT @nora_reads: The river path still has no business being this good. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996697777",
      "created_at": "Tue Mar 19 10:41:00 +0000 2024",
      "full_text": "Today I learned a rainy Sunday still has no business being this good.\n\nIf you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996689858",
      "created_at": "Tue Mar 19 08:24:00 +0000 2024",
      "full_text": "wow",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996681939",
      "created_at": "Mon Mar 18 23:01:00 +0000 2024",
      "full_text": "@river_runner okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "361071116281172428",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996674020",
      "created_at": "Mon Mar 18 01:37:00 +0000 2024",
      "full_text": "Reminder to myself: the river path keeps surprising me. My notes app is now full of ideas. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996666101",
      "created_at": "Sun Mar 17 17:47:00 +0000 2024",
      "full_text": "Quick thought: my test suite deserves more appreciation. The trick was to stop overthinking &amp; just start. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996658182",
      "created_at": "Sat Mar 16 20:53:00 +0000 2024",
      "full_text": "Unpopular opinion: the farmers market still has no business being this good.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996650263",
      "created_at": "Sat Mar 16 18:45:00 +0000 2024",
      "full_text": "@river_runner agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "472854923773491935",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996642344",
      "created_at": "Sat Mar 16 17:40:00 +0000 2024",
      "full_text": "RT @cityslowly: A rainy sunday reminded me to slow down. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996634425",
      "created_at": "Sat Mar 16 09:50:00 +0000 2024",
      "full_text": "RT @river_runner: The neighbour's cat made my whole week better. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996626506",
      "created_at": "Sat Mar 16 04:38:00 +0000 2024",
      "full_text": "Unpopular opinion: the README I wrote last year made my whole week better. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/735466862743226947"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996618587",
      "created_at": "Fri Mar 15 16:51:00 +0000 2024",
      "full_text": "Still thinking about how the library's reading room still has no business being this good. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996610668",
      "created_at": "Thu Mar 14 21:40:00 +0000 2024",
      "full_text": "Still thinking about how the library's reading room made my whole week better. Somewhere a past version of me is laughing. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996602749",
      "created_at": "Thu Mar 14 14:11:00 +0000 2024",
      "full_text": "Morning thought: the farmers market keeps surprising me. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996594830",
      "created_at": "Wed Mar 13 14:36:00 +0000 2024",
      "full_text": "Today I learned the bakery on the corner needs a little more patience than I have. https://t.co/c2624ba1",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996586911",
      "created_at": "Wed Mar 13 12:11:00 +0000 2024",
      "full_text": "Update: the library's reading room is quietly the best part of the city.\n\nThe rain held off just long enough. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/373034672549103310"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996578992",
      "created_at": "Wed Mar 13 04:06:00 +0000 2024",
      "full_text": "Update: the river path is the reason I get up early. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996571073",
      "created_at": "Tue Mar 12 07:45:00 +0000 2024",
      "full_text": "Reminder to myself: the new bike lane needs a little more patience than I have. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996563154",
      "created_at": "Mon Mar 11 16:21:00 +0000 2024",
      "full_text": "@jazzfan42 that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "686282902424949586",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996555235",
      "created_at": "Sun Mar 10 20:47:00 +0000 2024",
      "full_text": "Small win today: our tomato plant smells like cinnamon and good decisions.\n\nI took far too many photos of it. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996547316",
      "created_at": "Sun Mar 10 01:28:00 +0000 2024",
      "full_text": "Can't believe my test suite is louder than it has any right to be. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996539397",
      "created_at": "Sat Mar 09 07:33:00 +0000 2024",
      "full_text": "Just realised the late night bus needs a little more patience than I have. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996531478",
      "created_at": "Fri Mar 08 11:43:00 +0000 2024",
      "full_text": "Confession: the new bike lane somehow fixed my mood.\n\nThe trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996523559",
      "created_at": "Fri Mar 08 02:59:00 +0000 2024",
      "full_text": "Weekend plan: our tomato plant somehow fixed my mood. https://t.co/89fbfc19",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996515640",
      "created_at": "Thu Mar 07 17:07:00 +0000 2024",
      "full_text": "How do you all keep a plant alive through winter?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996507721",
      "created_at": "Wed Mar 06 20:39:00 +0000 2024",
      "full_text": "Quick thought: my test suite feels like a small holiday.\n\nI should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996499802",
      "created_at": "Wed Mar 06 07:24:00 +0000 2024",
      "full_text": "Confession: the bakery on the corner feels like a small holiday. I'm calling it a personal record and nobody can stop me. https://t.co/771ba2c0",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996491883",
      "created_at": "Wed Mar 06 01:33:00 +0000 2024",
      "full_text": "Hot take: a rainy Sunday somehow fixed my mood.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996483964",
      "created_at": "Wed Mar 06 00:57:00 +0000 2024",
      "full_text": "@nora_reads adding this to my list for the weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "471651151145933335",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996476045",
      "created_at": "Tue Mar 05 19:00:00 +0000 2024",
      "full_text": "RT @maya_codes: The office plant keeps surprising me. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996468126",
      "created_at": "Mon Mar 04 22:23:00 +0000 2024",
      "full_text": "@maya_codes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "582269588738314974",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996460207",
      "created_at": "Mon Mar 04 01:48:00 +0000 2024",
      "full_text": "Turns out my first marathon training plan somehow fixed my mood.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996452288",
      "created_at": "Sun Mar 03 10:54:00 +0000 2024",
      "full_text": "Can't believe the new bike lane broke in the most interesting way. If you see me smiling on the street, this is why. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/831848879178939731"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996444369",
      "created_at": "Sat Mar 02 13:43:00 +0000 2024",
      "full_text": "RT @maya_codes: This old paperback was worth every minute. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996436450",
      "created_at": "Sat Mar 02 07:28:00 +0000 2024",
      "full_text": "@plantdad agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "397189122969663709",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996428531",
      "created_at": "Sat Mar 02 03:50:00 +0000 2024",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996420612",
      "created_at": "Fri Mar 01 10:38:00 +0000 2024",
      "full_text": "@cityslowly adding this to my list for the weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "528686001025989150",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996412693",
      "created_at": "Thu Feb 29 10:43:00 +0000 2024",
      "full_text": "Can't believe my record collection smells like cinnamon and good decisions.\n\nI'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996404774",
      "created_at": "Thu Feb 29 06:00:00 +0000 2024",
      "full_text": "RT @plantdad: A rainy sunday smells like cinnamon and good decisions. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996396855",
      "created_at": "Thu Feb 29 02:17:00 +0000 2024",
      "full_text": "Turns out the bakery on the corner smells like cinnamon &amp; good decisions. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996388936",
      "created_at": "Wed Feb 28 20:08:00 +0000 2024",
      "full_text": "Honestly, the library's reading room reminded me to slow down.\n\nIt only took three tries &amp; one long walk. #running https://t.co/9e5ce72e",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996381017",
      "created_at": "Wed Feb 28 12:19:00 +0000 2024",
      "full_text": "Just realised this old paperback reminded me to slow down. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996373098",
      "created_at": "Wed Feb 28 05:12:00 +0000 2024",
      "full_text": "Turns out the 7:40 train was worth every minute.\n\nTomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996365179",
      "created_at": "Tue Feb 27 07:00:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996357260",
      "created_at": "Mon Feb 26 10:34:00 +0000 2024",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996349341",
      "created_at": "Mon Feb 26 01:56:00 +0000 2024",
      "full_text": "Unpopular opinion: the bakery on the corner made my whole week better.\n\nTen out of ten, would recommend to a friend. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/951300599013881879"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996341422",
      "created_at": "Sun Feb 25 04:03:00 +0000 2024",
      "full_text": "PSA: my test suite broke in the most interesting way. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996333503",
      "created_at": "Sun Feb 25 02:47:00 +0000 2024",
      "full_text": "Still thinking about how the README I wrote last year still has no business being this good. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996325584",
      "created_at": "Sat Feb 24 03:33:00 +0000 2024",
      "full_text": "Best book you read this year, go.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996317665",
      "created_at": "Fri Feb 23 10:12:00 +0000 2024",
      "full_text": "Still thinking about how the farmers market made my whole week better. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996309746",
      "created_at": "Fri Feb 23 00:50:00 +0000 2024",
      "full_text": "Small win today: the 7:40 train is louder than it has any right to be. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996301827",
      "created_at": "Thu Feb 22 18:10:00 +0000 2024",
      "full_text": "Just realised a rainy Sunday feels like a small holiday. It only took three tries and one long walk. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/674032041078127478"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996293908",
      "created_at": "Wed Feb 21 18:29:00 +0000 2024",
      "full_text": "Reminder to myself: my first marathon training plan is quietly the best part of the city.\n\nI should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996285989",
      "created_at": "Tue Feb 20 18:34:00 +0000 2024",
      "full_text": "Note to future me: the hiking trail up the hill somehow fixed my mood.\n\nSomewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996278070",
      "created_at": "Mon Feb 19 21:45:00 +0000 2024",
      "full_text": "@cityslowly I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "230843655010576201",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996270151",
      "created_at": "Mon Feb 19 15:17:00 +0000 2024",
      "full_text": "Morning thought: the bakery on the corner somehow fixed my mood. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996262232",
      "created_at": "Sun Feb 18 18:42:00 +0000 2024",
      "full_text": "Small win today: the hiking trail up the hill somehow fixed my mood. https://t.co/2b2db448",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996254313",
      "created_at": "Sun Feb 18 18:20:00 +0000 2024",
      "full_text": "Small win today: the new bike lane taught me more than any course.\n\nSomewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996246394",
      "created_at": "Sun Feb 18 12:44:00 +0000 2024",
      "full_text": "Today I learned the late night bus keeps surprising me. Tomorrow I'm trying it again with more coffee. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996238475",
      "created_at": "Sat Feb 17 23:15:00 +0000 2024",
      "full_text": "Turns out the bakery on the corner still has no business being this good. #weekend https://t.co/16ffd018",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996230556",
      "created_at": "Sat Feb 17 22:39:00 +0000 2024",
      "full_text": "Turns out the neighbour's cat smells like cinnamon &amp; good decisions.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996222637",
      "created_at": "Fri Feb 16 22:33:00 +0000 2024",
      "full_text": "@plantdad okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "736036256295122767",
      "in_reply_to_screen_name": "plantdad"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996214718",
      "created_at": "Fri Feb 16 10:48:00 +0000 2024",
      "full_text": "Confession: my test suite was worth every minute. I'm calling it a personal record and nobody can stop me. https://t.co/3a111c45",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996206799",
      "created_at": "Fri Feb 16 04:18:00 +0000 2024",
      "full_text": "Weekend plan: the new bike lane was worth every minute.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996198880",
      "created_at": "Thu Feb 15 06:51:00 +0000 2024",
      "full_text": "Honestly, that little ramen place still has no business being this good. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996190961",
      "created_at": "Wed Feb 14 19:05:00 +0000 2024",
      "full_text": "Morning thought: my sourdough starter reminded me to slow down.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996183042",
      "created_at": "Wed Feb 14 08:59:00 +0000 2024",
      "full_text": "@jazzfan42 this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "972497509851441010",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996175123",
      "created_at": "Wed Feb 14 06:17:00 +0000 2024",
      "full_text": "Fun fact: our tomato plant somehow fixed my mood. Somewhere a past version of me is laughing. #coffee https://t.co/2cf3502c",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996167204",
      "created_at": "Tue Feb 13 23:07:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996159285",
      "created_at": "Tue Feb 13 13:42:00 +0000 2024",
      "full_text": "RT @river_runner: My cast iron pan deserves more appreciation. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996151366",
      "created_at": "Tue Feb 13 07:01:00 +0000 2024",
      "full_text": "Hot take: the neighbour's cat made my whole week better. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996143447",
      "created_at": "Mon Feb 12 08:37:00 +0000 2024",
      "full_text": "@cityslowly that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "558288086361497608",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996135528",
      "created_at": "Mon Feb 12 02:55:00 +0000 2024",
      "full_text": "@cityslowly I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "926648385042320070",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996127609",
      "created_at": "Sun Feb 11 19:04:00 +0000 2024",
      "full_text": "Today I learned the 7:40 train broke in the most interesting way. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996119690",
      "created_at": "Sun Feb 11 10:23:00 +0000 2024",
      "full_text": "PSA: the river path is the reason I get up early. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996111771",
      "created_at": "Sun Feb 11 04:12:00 +0000 2024",
      "full_text": "so true",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996103852",
      "created_at": "Sat Feb 10 09:26:00 +0000 2024",
      "full_text": "Quick thought: my test suite still has no business being this good. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996095933",
      "created_at": "Fri Feb 09 08:57:00 +0000 2024",
      "full_text": "Small win today: the library's reading room feels like a small holiday.\n\nIf you see me smiling on the street, this is why. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/851500252575854803"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996088014",
      "created_at": "Thu Feb 08 19:09:00 +0000 2024",
      "full_text": "RT @maya_codes: The river path is louder than it has any right to be. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996080095",
      "created_at": "Thu Feb 08 00:30:00 +0000 2024",
      "full_text": "RT @tom_bakes: My test suite reminded me to slow down. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996072176",
      "created_at": "Wed Feb 07 18:46:00 +0000 2024",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996064257",
      "created_at": "Wed Feb 07 07:09:00 +0000 2024",
      "full_text": "Reminder to myself: the hiking trail up the hill deserves more appreciation. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996056338",
      "created_at": "Tue Feb 06 06:37:00 +0000 2024",
      "full_text": "Turns out my first marathon training plan reminded me to slow down. The rain held off just long enough. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/455489488532971723"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996048419",
      "created_at": "Mon Feb 05 23:06:00 +0000 2024",
      "full_text": "RT @nora_reads: The late night bus broke in the most interesting way. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996040500",
      "created_at": "Mon Feb 05 20:34:00 +0000 2024",
      "full_text": "@tom_bakes this is exactly the energy I needed today",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "737943832530647142",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996032581",
      "created_at": "Mon Feb 05 09:58:00 +0000 2024",
      "full_text": "Note to future me: my record collection reminded me to slow down. Nobody warned me it would be this much fun. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/795057626643172471"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996024662",
      "created_at": "Sun Feb 04 18:45:00 +0000 2024",
      "full_text": "lol https://t.co/34900e2a",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996016743",
      "created_at": "Sun Feb 04 04:37:00 +0000 2024",
      "full_text": "Morning thought: the hiking trail up the hill still has no business being this good. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996008824",
      "created_at": "Sun Feb 04 00:32:00 +0000 2024",
      "full_text": "Weekend plan: this old paperback was worth every minute.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999996000905",
      "created_at": "Sat Feb 03 12:59:00 +0000 2024",
      "full_text": "Confession: the README I wrote last year somehow fixed my mood.\n\nLesson learned: read the manual first. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995992986",
      "created_at": "Fri Feb 02 17:52:00 +0000 2024",
      "full_text": "Still thinking about how the new bike lane made my whole week better.\n\nThe rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995985067",
      "created_at": "Thu Feb 01 20:25:00 +0000 2024",
      "full_text": "Confession: the neighbour's cat somehow fixed my mood. #running https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/308782971787672836"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995977148",
      "created_at": "Wed Jan 31 19:56:00 +0000 2024",
      "full_text": "RT @maya_codes: My record collection deserves more appreciation. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995969229",
      "created_at": "Wed Jan 31 19:17:00 +0000 2024",
      "full_text": "@maya_codes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "684505260575458835",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995961310",
      "created_at": "Tue Jan 30 23:25:00 +0000 2024",
      "full_text": "Still thinking about how the river path somehow fixed my mood.\n\nI'm calling it a personal record &amp; nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995953391",
      "created_at": "Tue Jan 30 15:58:00 +0000 2024",
      "full_text": "PSA: my first marathon training plan taught me more than any course. I'm calling it a personal record and nobody can stop me. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/704744635969147112"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995945472",
      "created_at": "Tue Jan 30 08:14:00 +0000 2024",
      "full_text": "RT @cityslowly: The hiking trail up the hill keeps surprising me. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995937553",
      "created_at": "Tue Jan 30 01:05:00 +0000 2024",
      "full_text": "Quick thought: this old paperback smells like cinnamon and good decisions. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995929634",
      "created_at": "Mon Jan 29 18:03:00 +0000 2024",
      "full_text": "Hot take: the office plant keeps surprising me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995921715",
      "created_at": "Sun Jan 28 22:07:00 +0000 2024",
      "full_text": "@nora_reads that looks amazing, save me a slice next time",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "207608045183355501",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995913796",
      "created_at": "Sun Jan 28 16:03:00 +0000 2024",
      "full_text": "RT @nora_reads: The readme i wrote last year keeps surprising me. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995905877",
      "created_at": "Sun Jan 28 07:47:00 +0000 2024",
      "full_text": "@jazzfan42 same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "968037458078767036",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995897958",
      "created_at": "Sat Jan 27 12:33:00 +0000 2024",
      "full_text": "Turns out the late night bus reminded me to slow down. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995890039",
      "created_at": "Fri Jan 26 13:17:00 +0000 2024",
      "full_text": "Can't believe my cast iron pan is quietly the best part of the city. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995882120",
      "created_at": "Fri Jan 26 02:04:00 +0000 2024",
      "full_text": "Hot take: this old paperback keeps surprising me. Ten out of ten, would recommend to a friend. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995874201",
      "created_at": "Thu Jan 25 12:23:00 +0000 2024",
      "full_text": "RT @tom_bakes: The neighbour's cat is quietly the best part of the city. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995866282",
      "created_at": "Wed Jan 24 11:56:00 +0000 2024",
      "full_text": "@maya_codes agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "708027992881487597",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995858363",
      "created_at": "Tue Jan 23 20:17:00 +0000 2024",
      "full_text": "same https://t.co/b253d168",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995850444",
      "created_at": "Tue Jan 23 19:42:00 +0000 2024",
      "full_text": "Quick thought: the farmers market needs a little more patience than I have. Somewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995842525",
      "created_at": "Tue Jan 23 07:21:00 +0000 2024",
      "full_text": "Update: the farmers market still has no business being this good. If you see me smiling on the street, this is why. #bookclub https://t.co/9778fdd6",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995834606",
      "created_at": "Mon Jan 22 19:10:00 +0000 2024",
      "full_text": "Unpopular opinion: the new bike lane reminded me to slow down. https://t.co/2306bf36",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995826687",
      "created_at": "Mon Jan 22 09:59:00 +0000 2024",
      "full_text": "Unpopular opinion: the river path made my whole week better. Ten out of ten, would recommend to a friend. https://t.co/1bde084c",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995818768",
      "created_at": "Sun Jan 21 17:19:00 +0000 2024",
      "full_text": "@cityslowly agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "111386939642367655",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995810849",
      "created_at": "Sun Jan 21 03:43:00 +0000 2024",
      "full_text": "@jazzfan42 I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "427818209278067482",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995802930",
      "created_at": "Sat Jan 20 14:38:00 +0000 2024",
      "full_text": "Reminder to myself: the jazz trio downstairs needs a little more patience than I have. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995795011",
      "created_at": "Fri Jan 19 22:03:00 +0000 2024",
      "full_text": "Reminder to myself: my tiny balcony garden taught me more than any course. If you see me smiling on the street, this is why. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995787092",
      "created_at": "Fri Jan 19 14:52:00 +0000 2024",
      "full_text": "Update: the river path is louder than it has any right to be. Somewhere a past version of me is laughing. #running https://t.co/411560b6",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995779173",
      "created_at": "Thu Jan 18 14:23:00 +0000 2024",
      "full_text": "RT @maya_codes: The late night bus taught me more than any course. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995771254",
      "created_at": "Thu Jan 18 13:27:00 +0000 2024",
      "full_text": "Confession: the README I wrote last year broke in the most interesting way.\n\nI'm calling it a personal record and nobody can stop me. #coffee",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995763335",
      "created_at": "Thu Jan 18 12:41:00 +0000 2024",
      "full_text": "Update: the new bike lane broke in the most interesting way. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995755416",
      "created_at": "Wed Jan 17 17:22:00 +0000 2024",
      "full_text": "@jazzfan42 I laughed way too hard at this on the bus",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "724804995104570336",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995747497",
      "created_at": "Wed Jan 17 14:47:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995739578",
      "created_at": "Wed Jan 17 05:03:00 +0000 2024",
      "full_text": "Can't believe the README I wrote last year still has no business being this good.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995731659",
      "created_at": "Tue Jan 16 11:19:00 +0000 2024",
      "full_text": "brb coffee https://t.co/9bd17ff5",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995723740",
      "created_at": "Mon Jan 15 20:56:00 +0000 2024",
      "full_text": "RT @tom_bakes: My first marathon training plan somehow fixed my mood. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995715821",
      "created_at": "Sun Jan 14 20:15:00 +0000 2024",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995707902",
      "created_at": "Sun Jan 14 13:25:00 +0000 2024",
      "full_text": "RT @tom_bakes: My sourdough starter made my whole week better. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995699983",
      "created_at": "Sun Jan 14 12:33:00 +0000 2024",
      "full_text": "ok",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995692064",
      "created_at": "Sat Jan 13 20:56:00 +0000 2024",
      "full_text": "Note to future me: the late night bus is louder than it has any right to be.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995684145",
      "created_at": "Sat Jan 13 18:41:00 +0000 2024",
      "full_text": "Unpopular opinion: the 7:40 train deserves more appreciation.\n\nTomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995676226",
      "created_at": "Sat Jan 13 06:02:00 +0000 2024",
      "full_text": "Update: the README I wrote last year made my whole week better.\n\nIt only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995668307",
      "created_at": "Fri Jan 12 13:55:00 +0000 2024",
      "full_text": "good morning https://t.co/95e0d64e",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995660388",
      "created_at": "Fri Jan 12 00:31:00 +0000 2024",
      "full_text": "Can't believe my test suite is quietly the best part of the city. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995652469",
      "created_at": "Thu Jan 11 20:53:00 +0000 2024",
      "full_text": "Just realised my test suite feels like a small holiday. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995644550",
      "created_at": "Thu Jan 11 03:06:00 +0000 2024",
      "full_text": "@maya_codes same thing happened to me last spring, it gets better",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "784000957333446533",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995636631",
      "created_at": "Wed Jan 10 02:47:00 +0000 2024",
      "full_text": "@cityslowly okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "663387516030931957",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995628712",
      "created_at": "Wed Jan 10 00:36:00 +0000 2024",
      "full_text": "Morning thought: the river path is quietly the best part of the city. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995620793",
      "created_at": "Tue Jan 09 19:06:00 +0000 2024",
      "full_text": "Quick thought: the library's reading room smells like cinnamon and good decisions.\n\nNext time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995612874",
      "created_at": "Tue Jan 09 01:23:00 +0000 2024",
      "full_text": "RT @cityslowly: The farmers market still has no business being this good. The trick was to stop overthinking and just start.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995604955",
      "created_at": "Mon Jan 08 12:12:00 +0000 2024",
      "full_text": "Just realised the hiking trail up the hill was worth every minute.\n\nLesson learned: read the manual first. #running",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995597036",
      "created_at": "Sun Jan 07 16:03:00 +0000 2024",
      "full_text": "lol",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995589117",
      "created_at": "Sun Jan 07 03:14:00 +0000 2024",
      "full_text": "Still thinking about how a rainy Sunday was worth every minute. The trick was to stop overthinking and just start. #sourdough",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995581198",
      "created_at": "Sat Jan 06 08:21:00 +0000 2024",
      "full_text": "@river_runner okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "370402366966757480",
      "in_reply_to_screen_name": "river_runner"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995573279",
      "created_at": "Fri Jan 05 12:52:00 +0000 2024",
      "full_text": "good morning https://t.co/391b9261",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995565360",
      "created_at": "Fri Jan 05 05:59:00 +0000 2024",
      "full_text": "Turns out my record collection needs a little more patience than I have. If you see me smiling on the street, this is why. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995557441",
      "created_at": "Thu Jan 04 13:44:00 +0000 2024",
      "full_text": "@maya_codes you have to try the one with roasted garlic",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "123991917273817339",
      "in_reply_to_screen_name": "maya_codes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995549522",
      "created_at": "Thu Jan 04 06:15:00 +0000 2024",
      "full_text": "Can't believe the hiking trail up the hill somehow fixed my mood. The rain held off just long enough.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995541603",
      "created_at": "Wed Jan 03 21:09:00 +0000 2024",
      "full_text": "Can't believe my first marathon training plan somehow fixed my mood. If you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995533684",
      "created_at": "Tue Jan 02 22:13:00 +0000 2024",
      "full_text": "Quick thought: that little ramen place still has no business being this good. Next time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995525765",
      "created_at": "Tue Jan 02 06:57:00 +0000 2024",
      "full_text": "nice",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995517846",
      "created_at": "Mon Jan 01 21:58:00 +0000 2024",
      "full_text": "RT @plantdad: The library's reading room is the reason I get up early. I'm calling it a personal record and nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995509927",
      "created_at": "Sun Dec 31 23:47:00 +0000 2023",
      "full_text": "Update: a rainy Sunday reminded me to slow down. Somewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995502008",
      "created_at": "Sat Dec 30 23:26:00 +0000 2023",
      "full_text": "RT @maya_codes: A rainy sunday somehow fixed my mood. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995494089",
      "created_at": "Sat Dec 30 01:45:00 +0000 2023",
      "full_text": "Fun fact: the river path was worth every minute. I took far too many photos of it. #bookclub",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995486170",
      "created_at": "Fri Dec 29 22:38:00 +0000 2023",
      "full_text": "Hot take: the hiking trail up the hill reminded me to slow down. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995478251",
      "created_at": "Fri Dec 29 13:18:00 +0000 2023",
      "full_text": "yes!! https://t.co/d1714930",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995470332",
      "created_at": "Fri Dec 29 10:03:00 +0000 2023",
      "full_text": "Hot take: my tiny balcony garden deserves more appreciation. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995462413",
      "created_at": "Thu Dec 28 20:37:00 +0000 2023",
      "full_text": "RT @tom_bakes: The hiking trail up the hill taught me more than any course. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995454494",
      "created_at": "Thu Dec 28 10:50:00 +0000 2023",
      "full_text": "PSA: the bakery on the corner is the reason I get up early. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995446575",
      "created_at": "Thu Dec 28 08:05:00 +0000 2023",
      "full_text": "Just realised the hiking trail up the hill was worth every minute. Somewhere a past version of me is laughing. #weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995438656",
      "created_at": "Thu Dec 28 02:32:00 +0000 2023",
      "full_text": "Morning thought: the 7:40 train is the reason I get up early. If you see me smiling on the street, this is why. #python https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/236551471431626503"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995430737",
      "created_at": "Wed Dec 27 23:14:00 +0000 2023",
      "full_text": "Confession: the hiking trail up the hill smells like cinnamon and good decisions. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995422818",
      "created_at": "Wed Dec 27 01:57:00 +0000 2023",
      "full_text": "@nora_reads agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "140823140507004709",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995414899",
      "created_at": "Tue Dec 26 12:42:00 +0000 2023",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995406980",
      "created_at": "Tue Dec 26 07:11:00 +0000 2023",
      "full_text": "Small win today: the new bike lane feels like a small holiday. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995399061",
      "created_at": "Mon Dec 25 14:08:00 +0000 2023",
      "full_text": "Hot take: the river path is the reason I get up early. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995391142",
      "created_at": "Mon Dec 25 03:23:00 +0000 2023",
      "full_text": "RT @nora_reads: My cast iron pan keeps surprising me. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995383223",
      "created_at": "Sun Dec 24 03:55:00 +0000 2023",
      "full_text": "Tea or coffee while coding, and why?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995375304",
      "created_at": "Sun Dec 24 00:25:00 +0000 2023",
      "full_text": "Fun fact: the jazz trio downstairs deserves more appreciation.\n\nNext time I'm bringing a thermos and a better playlist.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995367385",
      "created_at": "Sat Dec 23 17:02:00 +0000 2023",
      "full_text": "Fun fact: this old paperback somehow fixed my mood.\n\nSomewhere a past version of me is laughing. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/495516857664155502"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995359466",
      "created_at": "Sat Dec 23 12:37:00 +0000 2023",
      "full_text": "@cityslowly okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "396116203510431889",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995351547",
      "created_at": "Fri Dec 22 15:49:00 +0000 2023",
      "full_text": "Update: this old paperback was worth every minute.\n\nIf you see me smiling on the street, this is why.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995343628",
      "created_at": "Fri Dec 22 01:04:00 +0000 2023",
      "full_text": "Weekend plan: my tiny balcony garden reminded me to slow down. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/226396994587275818"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995335709",
      "created_at": "Thu Dec 21 05:14:00 +0000 2023",
      "full_text": "Does anyone else read the last page first?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995327790",
      "created_at": "Wed Dec 20 17:15:00 +0000 2023",
      "full_text": "Today I learned my sourdough starter keeps surprising me. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995319871",
      "created_at": "Wed Dec 20 06:53:00 +0000 2023",
      "full_text": "Note to future me: my tiny balcony garden was worth every minute.\n\nI'm calling it a personal record and nobody can stop me. #python https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/211745527154132329"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995311952",
      "created_at": "Wed Dec 20 00:26:00 +0000 2023",
      "full_text": "RT @river_runner: The office plant still has no business being this good. Tomorrow I'm trying it again with more coffee.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995304033",
      "created_at": "Tue Dec 19 17:35:00 +0000 2023",
      "full_text": "RT @nora_reads: The farmers market needs a little more patience than I have. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995296114",
      "created_at": "Tue Dec 19 10:53:00 +0000 2023",
      "full_text": "Turns out the README I wrote last year is the reason I get up early.\n\nI'm calling it a personal record &amp; nobody can stop me.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995288195",
      "created_at": "Mon Dec 18 17:39:00 +0000 2023",
      "full_text": "Fun fact: our tomato plant smells like cinnamon and good decisions.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995280276",
      "created_at": "Mon Dec 18 16:07:00 +0000 2023",
      "full_text": "@jazzfan42 adding this to my list for the weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "992535177992756727",
      "in_reply_to_screen_name": "jazzfan42"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995272357",
      "created_at": "Sun Dec 17 17:24:00 +0000 2023",
      "full_text": "Fun fact: my first marathon training plan was worth every minute. I took far too many photos of it.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995264438",
      "created_at": "Sat Dec 16 19:01:00 +0000 2023",
      "full_text": "Morning thought: a rainy Sunday feels like a small holiday. Next time I'm bringing a thermos and a better playlist. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/778838250596562933"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995256519",
      "created_at": "Sat Dec 16 05:18:00 +0000 2023",
      "full_text": "Honestly, my first marathon training plan taught me more than any course. Next time I'm bringing a thermos &amp; a better playlist. https://t.co/b2caeb70",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995248600",
      "created_at": "Fri Dec 15 18:36:00 +0000 2023",
      "full_text": "Weekend plan: the farmers market taught me more than any course. Lesson learned: read the manual first.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995240681",
      "created_at": "Fri Dec 15 07:19:00 +0000 2023",
      "full_text": "Hot take: my first marathon training plan made my whole week better. Somewhere a past version of me is laughing.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995232762",
      "created_at": "Thu Dec 14 07:09:00 +0000 2023",
      "full_text": "Today I learned the jazz trio downstairs is the reason I get up early. The rain held off just long enough. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/814415908686637432"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995224843",
      "created_at": "Wed Dec 13 13:07:00 +0000 2023",
      "full_text": "PSA: the 7:40 train made my whole week better. Somewhere a past version of me is laughing. #cycling",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995216924",
      "created_at": "Tue Dec 12 21:04:00 +0000 2023",
      "full_text": "@cityslowly okay but how did you get the crust that crispy",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "124566394836988535",
      "in_reply_to_screen_name": "cityslowly"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995209005",
      "created_at": "Tue Dec 12 09:28:00 +0000 2023",
      "full_text": "What should I bake this weekend?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995201086",
      "created_at": "Mon Dec 11 21:09:00 +0000 2023",
      "full_text": "What's the one small thing that made your day better?",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995193167",
      "created_at": "Mon Dec 11 12:07:00 +0000 2023",
      "full_text": "Update: my first marathon training plan taught me more than any course. https://t.co/40b01efc",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995185248",
      "created_at": "Mon Dec 11 10:30:00 +0000 2023",
      "full_text": "Weekend plan: the farmers market needs a little more patience than I have. https://t.co/1dcd3d4d",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995177329",
      "created_at": "Sun Dec 10 20:42:00 +0000 2023",
      "full_text": "RT @river_runner: My sourdough starter feels like a small holiday. My notes app is now full of ideas.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995169410",
      "created_at": "Sun Dec 10 15:03:00 +0000 2023",
      "full_text": "@tom_bakes adding this to my list for the weekend",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "967564756657939810",
      "in_reply_to_screen_name": "tom_bakes"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995161491",
      "created_at": "Sun Dec 10 07:44:00 +0000 2023",
      "full_text": "RT @tom_bakes: The bakery on the corner feels like a small holiday. Nobody warned me it would be this much fun.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995153572",
      "created_at": "Sat Dec 09 20:24:00 +0000 2023",
      "full_text": "Note to future me: my cast iron pan reminded me to slow down.\n\nMy notes app is now full of ideas. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/336002128737426108"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995145653",
      "created_at": "Sat Dec 09 09:56:00 +0000 2023",
      "full_text": "Can't believe the 7:40 train somehow fixed my mood.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995137734",
      "created_at": "Fri Dec 08 17:54:00 +0000 2023",
      "full_text": "@nora_reads agreed, the mornings there are something else",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      },
      "in_reply_to_status_id_str": "767637393954066022",
      "in_reply_to_screen_name": "nora_reads"
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995129815",
      "created_at": "Thu Dec 07 23:44:00 +0000 2023",
      "full_text": "Note to future me: my tiny balcony garden is the reason I get up early. https://t.co/q",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": [
          {
            "url": "https://t.co/q",
            "expanded_url": "https://twitter.com/x/status/224598149229259279"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995121896",
      "created_at": "Thu Dec 07 09:00:00 +0000 2023",
      "full_text": "Hot take: the new bike lane is louder than it has any right to be. It only took three tries and one long walk.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995113977",
      "created_at": "Wed Dec 06 08:06:00 +0000 2023",
      "full_text": "RT @river_runner: The library's reading room is the reason I get up early. I should write down why before I forget.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995106058",
      "created_at": "Wed Dec 06 04:02:00 +0000 2023",
      "full_text": "Can't believe my first marathon training plan feels like a small holiday. Ten out of ten, would recommend to a friend.",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  },
  {
    "tweet": {
      "id_str": "1849999999995098139",
      "created_at": "Tue Dec 05 17:51:00 +0000 2023",
      "full_text": "Fun fact: the new bike lane is quietly the best part of the city. #gardening",
      "lang": "en",
      "retweeted": false,
      "entities": {
        "urls": []
      }
    }
  }
]
